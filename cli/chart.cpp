// Horizontal bar charts for the terminal.
#include "cli/chart.h"

#include <algorithm>
#include <cmath>

namespace lipsteeth::cli {

std::string bar(double fraction, int cells) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const long eighths = std::lround(std::clamp(fraction, 0.0, 1.0) * cells * 8);
  std::string s;
  for (long i = 0; i < eighths / 8; ++i) s += "█";
  return s + kEighths[eighths % 8];
}

}  // namespace lipsteeth::cli
