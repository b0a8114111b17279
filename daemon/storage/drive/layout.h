#pragma once
// Names inside an object directory on a drive (MinIO's layout): xl.meta, and data
// directories named by a UUID that hold the object's part.N files. Pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace maxio {

// "part.N" with N a positive decimal number: the only kind of file a data directory holds.
bool is_part_file_name(std::string_view name);

// True when `name` could be a data directory (a canonical UUID) and `entries` (its
// contents as list_dir returns them, directories with a trailing '/') are one or more part
// files and nothing else. A user key below a UUID-named prefix ("K/<uuid>/x") has other
// entries, and an empty directory is not claimed (it may be a prefix being created).
bool is_data_dir(std::string_view name, const std::vector<std::string>& entries);

}  // namespace maxio
