#include "daemon/storage/drive/layout.h"

#include <algorithm>

#include "shared/util/uuid.h"

namespace maxio {

bool is_part_file_name(std::string_view name) {
  constexpr std::string_view kPart = "part.";
  if (name.substr(0, kPart.size()) != kPart || name.size() == kPart.size()) return false;
  return std::all_of(name.begin() + kPart.size(), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool is_data_dir(std::string_view name, const std::vector<std::string>& entries) {
  return parse_uuid(name).is_ok() && !entries.empty() &&
         std::all_of(entries.begin(), entries.end(),
                     [](const std::string& entry) { return is_part_file_name(entry); });
}

}  // namespace maxio
