// Horizontal bar charts for the terminal, in eighths of a cell.
#pragma once

#include <string>

namespace lipsteeth::cli {

// A bar `fraction` (0..1) of `cells` cells long, drawn with Unicode block
// elements ("█", "▌", ...): eight steps a cell.
std::string bar(double fraction, int cells);

}  // namespace lipsteeth::cli
