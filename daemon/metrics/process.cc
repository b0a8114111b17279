// Process statistics from /proc/self.

#include "daemon/metrics/process.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace maxio::metrics {

namespace {

Result<std::string> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIo, std::string("cannot read ") + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<uint64_t> parse_u64(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<ProcStat> parse_proc_stat(std::string_view text) {
  // "pid (comm) state ppid ...": comm may contain anything, so fields start after the last ')'.
  size_t close = text.rfind(')');
  if (close == std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument, "no command name in /proc stat");
  }
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  std::string_view rest = text.substr(close + 1);
  size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\n')) ++i;
    size_t start = i;
    while (i < rest.size() && rest[i] != ' ' && rest[i] != '\n') ++i;
    if (i > start) fields.push_back(rest.substr(start, i - start));
  }
  // proc(5) numbers fields from 1: utime 14, stime 15, starttime 22, vsize 23, rss 24.
  auto field = [&](int number) -> std::optional<uint64_t> {
    size_t index = static_cast<size_t>(number - 3);
    if (index >= fields.size()) return std::nullopt;
    return parse_u64(fields[index]);
  };
  auto utime = field(14), stime = field(15), start = field(22), vsize = field(23);
  // rss is signed in the kernel's format; a negative value never happens for a live process.
  auto rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) {
    return Status(ErrorCode::kInvalidArgument, "malformed /proc stat line");
  }
  return ProcStat{*utime, *stime, *start, *vsize, *rss};
}

Result<uint64_t> parse_boot_time(std::string_view proc_stat) {
  size_t pos = 0;
  while (pos < proc_stat.size()) {
    size_t end = proc_stat.find('\n', pos);
    if (end == std::string_view::npos) end = proc_stat.size();
    std::string_view line = proc_stat.substr(pos, end - pos);
    if (line.starts_with("btime ")) {
      if (auto value = parse_u64(line.substr(6))) return *value;
      break;
    }
    pos = end + 1;
  }
  return Status(ErrorCode::kInvalidArgument, "no btime line in /proc/stat");
}

Result<ProcessStats> read_process_stats() {
  MAXIO_TRY(std::string self_stat, read_file("/proc/self/stat"));
  MAXIO_TRY(std::string system_stat, read_file("/proc/stat"));
  MAXIO_TRY(ProcStat stat, parse_proc_stat(self_stat));
  MAXIO_TRY(uint64_t boot_time, parse_boot_time(system_stat));
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const uint64_t page_size = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  ProcessStats stats;
  stats.cpu_seconds = static_cast<double>(stat.utime_ticks + stat.stime_ticks) / ticks;
  stats.resident_memory_bytes = stat.rss_pages * page_size;
  stats.virtual_memory_bytes = stat.vsize_bytes;
  stats.start_time_seconds = static_cast<double>(boot_time) + stat.start_ticks / ticks;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++stats.open_fds;
  }
  // The iterator's own descriptor is counted while it is open.
  if (stats.open_fds > 0) --stats.open_fds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.fd_limit = limit.rlim_cur;
  return stats;
}

}  // namespace maxio::metrics
