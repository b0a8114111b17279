#pragma once
// part.N.meta: the metadata MinIO writes next to each uploaded part of a multipart upload
// (.minio.sys/multipart/<sha>/<upload>/<data dir>/part.N.meta), the msgpack encoding of
// its ObjectPartInfo (keys "e", "n", "s", "as", "mt", "crc"). Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "daemon/storage/xlmeta/file_info.h"
#include "shared/util/status.h"

namespace maxio {

// The bytes MinIO's ObjectPartInfo.MarshalMsg produces for `part` ("crc" only when
// part.checksums is not empty; mod_time as msgp's time extension).
std::string encode_part_meta(const ObjectPartInfo& part);

// Parses part.N.meta; unknown keys are skipped. kFileCorrupt on malformed input.
Result<ObjectPartInfo> decode_part_meta(std::string_view bytes);

}  // namespace maxio
