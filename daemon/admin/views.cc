#include "daemon/admin/views.h"

#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::admin {

namespace {

using json = nlohmann::ordered_json;

json optional_time(const std::optional<std::chrono::system_clock::time_point>& time) {
  return time ? json(format_iso8601(*time)) : json(nullptr);
}

json drive_json(const DriveStatus& drive) {
  return {{"endpoint", drive.endpoint},
          {"state", drive.state},
          {"reason", drive.reason},
          {"uuid", drive.drive_id},
          {"pool", drive.pool_index},
          {"set", drive.set_index},
          {"index", drive.drive_index},
          {"total_bytes", drive.total_bytes},
          {"free_bytes", drive.free_bytes},
          {"used_bytes", drive.used_bytes},
          {"healed_shards", drive.healed_shards}};
}

json summary_json(const HealSummary& summary) {
  return {{"buckets", summary.buckets},
          {"objects_scanned", summary.objects_scanned},
          {"objects_healed", summary.objects_healed},
          {"objects_failed", summary.objects_failed},
          {"dangling_removed", summary.dangling_removed}};
}

json background_json(const HealingCounters& c) {
  return {{"objects_scanned", c.objects_scanned},
          {"objects_healed", c.objects_healed},
          {"objects_heal_failed", c.objects_heal_failed},
          {"dangling_removed", c.dangling_removed},
          {"mrf_queued", c.mrf_queued},
          {"mrf_pending", c.mrf_pending},
          {"scanner_cycles", c.scanner_cycles},
          {"scanner_running", c.scanner_running}};
}

}  // namespace

json info_json(const ServerIdentity& server, const StorageInfo& storage) {
  int sets = 0;
  for (int count : storage.sets_per_pool) sets += count;
  int online = 0, offline = 0, healing = 0;
  for (const DriveStatus& drive : storage.drives) {
    if (drive.state == "online") ++online;
    if (drive.state == "offline") ++offline;
    if (drive.state == "healing") ++healing;
  }
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(server.now - server.started).count();
  return {{"version", server.version},
          {"started", format_iso8601(server.started)},
          {"uptime_seconds", uptime < 0 ? 0 : uptime},
          {"deployment_id", storage.deployment_id},
          {"region", server.region},
          {"endpoints", server.endpoints},
          {"pools", storage.pools},
          {"sets", sets},
          {"drives", storage.drives.size()},
          {"drives_online", online},
          {"drives_offline", offline},
          {"drives_healing", healing},
          {"parity", {{"standard", storage.standard_parity}, {"rrs", storage.rrs_parity}}}};
}

json topology_json(const StorageInfo& storage) {
  json pools = json::array();
  for (int p = 0; p < storage.pools; ++p) {
    const size_t pool_index = static_cast<size_t>(p);
    const int set_count =
        pool_index < storage.sets_per_pool.size() ? storage.sets_per_pool[pool_index] : 0;
    json sets = json::array();
    for (int s = 0; s < set_count; ++s) {
      json drives = json::array();
      for (const DriveStatus& drive : storage.drives) {
        if (drive.pool_index == p && drive.set_index == s) drives.push_back(drive_json(drive));
      }
      sets.push_back({{"index", s}, {"drives", std::move(drives)}});
    }
    pools.push_back(
        {{"index", p},
         {"drives_per_set",
          pool_index < storage.drives_per_set.size() ? storage.drives_per_set[pool_index] : 0},
         {"sets", std::move(sets)}});
  }
  return {{"deployment_id", storage.deployment_id},
          {"parity", {{"standard", storage.standard_parity}, {"rrs", storage.rrs_parity}}},
          {"pools", std::move(pools)}};
}

json datausage_json(const StorageInfo& storage) {
  json buckets = json::array();
  uint64_t objects = 0, bytes = 0;
  for (const BucketUsage& usage : storage.usage) {
    buckets.push_back(
        {{"bucket", usage.bucket}, {"objects", usage.objects}, {"bytes", usage.bytes}});
    objects += usage.objects;
    bytes += usage.bytes;
  }
  return {{"updated", optional_time(storage.usage_updated)},
          {"buckets", std::move(buckets)},
          {"totals", {{"buckets", storage.usage.size()}, {"objects", objects}, {"bytes", bytes}}}};
}

json heal_status_json(const std::optional<HealRunStatus>& run, const HealingCounters& background) {
  if (!run) return {{"state", "idle"}, {"background", background_json(background)}};
  json errors = json::array();
  for (const HealBucketError& error : run->errors) {
    errors.push_back({{"bucket", error.bucket}, {"message", error.message}});
  }
  return {{"id", run->id},
          {"state", heal_state_name(run->state)},
          {"bucket", run->request.bucket},
          {"prefix", run->request.prefix},
          {"deep", run->request.deep},
          {"started", format_iso8601(run->started)},
          {"finished", optional_time(run->finished)},
          {"stop_requested", run->stop_requested},
          {"buckets_total", run->buckets_total},
          {"buckets_done", run->buckets_done},
          {"current_bucket", run->current_bucket},
          {"counters", summary_json(run->totals)},
          {"errors", std::move(errors)},
          {"background", background_json(background)}};
}

std::string redact_query(std::string_view raw_query) {
  if (raw_query.empty()) return {};
  std::string out;
  bool first = true;
  for (const std::string& part : split(raw_query, '&')) {
    const size_t eq = part.find('=');
    const std::string name = to_lower(part.substr(0, eq));
    if (!first) out += '&';
    first = false;
    if (eq != std::string::npos &&
        (name == "x-amz-signature" || name == "x-amz-security-token" || name == "signature")) {
      out += part.substr(0, eq) + "=REDACTED";
    } else {
      out += part;
    }
  }
  return out;
}

json trace_json(const RequestRecord& record) {
  return {{"time", format_iso8601(record.time)},
          {"request_id", record.request_id},
          {"api", record.api},
          {"method", record.method},
          {"path", record.path},
          {"query", redact_query(record.raw_query)},
          {"bucket", record.bucket},
          {"key", record.key},
          {"status", record.status},
          {"bytes_in", record.bytes_in},
          {"bytes_out", record.bytes_out},
          {"duration_us", record.duration.count()},
          {"remote_address", record.remote_address},
          {"access_key", record.access_key}};
}

json log_json(const LogEntry& entry) {
  return {{"time", format_iso8601(entry.time)},
          {"level", log_level_name(entry.level)},
          {"message", entry.message}};
}

}  // namespace maxio::admin
