#include "fuse/mount/read_ahead.h"

#include <algorithm>

namespace maxio::fuse {

ReadAhead::Plan ReadAhead::on_read(uint64_t offset, uint64_t size, uint64_t file_size) {
  uint64_t end = offset + size;
  // A run starts at offset 0 or where the last read ended; once in a run, reads near its
  // end (reordered by the kernel) keep it going.
  bool near = started_ && offset + config_.tolerance >= next_offset_ &&
              offset <= next_offset_ + config_.tolerance;
  bool sequential = offset == 0 || (started_ && offset == next_offset_) || (window_ > 0 && near);
  started_ = true;
  Plan plan;
  if (!sequential) {
    window_ = 0;
    next_offset_ = end;
    return plan;
  }
  // Each sequential read beyond the furthest so far grows the window; reordered reads
  // inside it leave it as is.
  if (window_ == 0) {
    window_ = config_.min_window;
  } else if (end > next_offset_) {
    window_ = std::min(config_.max_window, window_ * 2);
  }
  next_offset_ = std::max(next_offset_, end);
  plan.sequential = true;
  plan.prefetch_begin = std::min(end, file_size);
  plan.prefetch_end = std::min(end + window_, file_size);
  return plan;
}

}  // namespace maxio::fuse
