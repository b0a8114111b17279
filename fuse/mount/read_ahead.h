#pragma once
// ReadAhead: the read-ahead policy of one open file. Sequential reads (each starting where
// the last ended, give or take reordering by the kernel's parallel reads) double the
// window up to a maximum; a random read resets it and asks for no prefetch. Not
// thread-safe: its owner serializes calls.

#include <cstdint>

namespace maxio::fuse {

struct ReadAheadConfig {
  uint64_t min_window = 1 << 20;   // the first prefetch after sequential access is seen
  uint64_t max_window = 32 << 20;  // the window stops doubling here
  // A read starting this far behind or ahead of the last read's end still counts as
  // sequential (the kernel issues read-ahead requests in parallel, slightly out of order).
  uint64_t tolerance = 4 << 20;
};

class ReadAhead {
 public:
  explicit ReadAhead(ReadAheadConfig config = {}) : config_(config) {}

  // What to fetch beyond the read [offset, offset + size) of a file of `file_size` bytes.
  struct Plan {
    bool sequential = false;
    uint64_t prefetch_begin = 0;  // prefetch [begin, end): empty when random or at EOF
    uint64_t prefetch_end = 0;
  };

  // Records one read and returns the plan for it. A read at offset 0 or exactly where the
  // last one ended starts (or continues) a sequential run (a file read from its start
  // usually goes on); within a run, a read within `tolerance` of the furthest end so far
  // continues it.
  Plan on_read(uint64_t offset, uint64_t size, uint64_t file_size);

  uint64_t window() const { return window_; }

 private:
  ReadAheadConfig config_;
  uint64_t next_offset_ = 0;  // furthest end of a sequential read so far
  uint64_t window_ = 0;       // 0: not sequential
  bool started_ = false;
};

}  // namespace maxio::fuse
