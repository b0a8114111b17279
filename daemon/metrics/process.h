#pragma once
// What /proc says about this process: CPU time, memory, file descriptors, start time.
// read_process_stats() reads /proc/self (Linux); the parsers are pure functions so tests can
// feed them sample text. Thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::metrics {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  uint64_t resident_memory_bytes = 0;
  uint64_t virtual_memory_bytes = 0;
  uint64_t open_fds = 0;
  uint64_t fd_limit = 0;          // the soft RLIMIT_NOFILE
  double start_time_seconds = 0;  // since the Unix epoch
};

// The fields of /proc/<pid>/stat that ProcessStats needs, in the units of the file.
struct ProcStat {
  uint64_t utime_ticks = 0;
  uint64_t stime_ticks = 0;
  uint64_t start_ticks = 0;  // since boot
  uint64_t vsize_bytes = 0;
  uint64_t rss_pages = 0;
};

// Parses one /proc/<pid>/stat line (the command name may hold spaces and parentheses).
// kInvalidArgument when the line is malformed.
Result<ProcStat> parse_proc_stat(std::string_view text);

// The boot time ("btime" line) of /proc/stat, in seconds since the epoch.
Result<uint64_t> parse_boot_time(std::string_view proc_stat);

// This process's stats from /proc/self. Fails with kIo when /proc is unreadable.
Result<ProcessStats> read_process_stats();

}  // namespace maxio::metrics
