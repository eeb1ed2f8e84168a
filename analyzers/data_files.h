// Where lipsteeth finds the data files it ships (the default gazetteer,
// actors.tsv), whether it runs from its build tree or installed. The order
// (docs/install.md, "Data files"):
//   1. $LIPSTEETH_DATA_DIR, when set (an override: the only place looked);
//   2. <the binary's folder>/../share/lipsteeth (an installed tree, wherever
//      it was copied: found through /proc/self/exe);
//   3. the source tree's data/, only when the binary runs from inside the
//      build tree it was built in (a build that was never installed);
//   4. the install prefix compiled in (<prefix>/share/lipsteeth).
// An installed binary thus never reads the checkout it was built from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

// The folders looked in, in order (those that apply to this process).
std::vector<std::string> data_dirs();

// The first `<dir>/<name>` that is a regular file, or "" when none is.
std::string find_data_file(std::string_view name);

// Where `name` was looked for, for an error message: "A, B or C".
std::string data_dirs_description(std::string_view name);

}  // namespace lipsteeth::analyzers
