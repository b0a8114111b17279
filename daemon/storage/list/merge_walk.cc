#include "daemon/storage/list/merge_walk.h"

namespace maxio {

void MergedWalker::add(std::unique_ptr<KeyWalker> walker, int tag) {
  Head head;
  head.walker = std::move(walker);
  head.tag = tag;
  heads_.push_back(std::move(head));
}

Status MergedWalker::advance(Head& head) {
  auto next = head.walker->next();
  if (!next) {
    head.done = true;
    head.entry.reset();
    if (!tolerate_errors_) return next.status();
    return Status::ok();
  }
  head.entry = std::move(*next);
  if (!head.entry) head.done = true;
  if (head.entry) head.entry->source = head.tag;
  return Status::ok();
}

Result<std::optional<WalkEntry>> MergedWalker::next() {
  Head* best = nullptr;
  for (auto& head : heads_) {
    if (!head.started) {
      head.started = true;
      MAXIO_RETURN_IF_ERROR(advance(head));
    }
    if (head.done) continue;
    // On equal keys an object beats a prefix of the same text (the marker object "a/").
    if (!best || head.entry->key < best->entry->key ||
        (head.entry->key == best->entry->key && best->entry->is_prefix && !head.entry->is_prefix)) {
      best = &head;
    }
  }
  if (!best) return std::optional<WalkEntry>();
  WalkEntry out = *best->entry;
  for (auto& head : heads_) {
    if (!head.done && head.entry->key == out.key) MAXIO_RETURN_IF_ERROR(advance(head));
  }
  return std::optional<WalkEntry>(std::move(out));
}

}  // namespace maxio
