// GET /trace and /log: JSON lines from a bounded queue fed by the request log or the
// LogHub, a blank line after a second without data, until the client goes away or the
// server stops.

#include <charconv>
#include <memory>

#include "daemon/admin/request.h"
#include "daemon/admin/views.h"
#include "shared/util/strings.h"

namespace maxio::admin {

namespace {

using json = nlohmann::ordered_json;

// Entries a slow client may fall behind by before new ones are dropped (and counted).
constexpr size_t kStreamQueueCapacity = 1000;

// The registry slot of one stream, released when the handler returns.
class StreamSlot {
 public:
  StreamSlot(StreamRegistry& streams, std::function<void()> close)
      : streams_(streams), id_(streams.open(std::move(close))) {}
  ~StreamSlot() {
    if (id_ != 0) streams_.release(id_);
  }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

  // Why no slot was given, or ok.
  AdminStatus status() const {
    if (id_ != 0) return {};
    return AdminStatus(streams_.shut_down() ? AdminErrorCode::kShuttingDown
                                            : AdminErrorCode::kTooManyStreams);
  }

 private:
  StreamRegistry& streams_;
  uint64_t id_;
};

// Writes queue batches as lines until the queue is closed (the response then ends) or a
// write fails: the client went away, the normal end of a stream, so no error either.
template <typename T, typename ToJson>
AdminStatus pump(AdminRequest& request, StreamQueue<T>& queue, ToJson to_json) {
  const auto write_batch = [&](const typename StreamQueue<T>::Batch& batch) -> Status {
    for (const T& item : batch.items) MAXIO_RETURN_IF_ERROR(write_line(request, to_json(item)));
    if (batch.dropped > 0) {
      MAXIO_RETURN_IF_ERROR(write_line(request, {{"dropped", batch.dropped}}));
    }
    if (batch.items.empty() && batch.dropped == 0) return write_heartbeat(request);
    return Status::ok();
  };
  while (true) {
    auto batch = queue.wait_pop(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::seconds(kStreamHeartbeat)));
    if (batch.closed) break;
    if (!write_batch(batch)) return {};
  }
  (void)request.exchange.response.finish();
  return {};
}

// "PutObject,admin.*": exact names, or prefixes ending in '*'; empty matches everything.
bool api_matches(const std::vector<std::string>& patterns, const std::string& api) {
  if (patterns.empty()) return true;
  for (const std::string& pattern : patterns) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (api.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1))) return true;
    } else if (pattern == api) {
      return true;
    }
  }
  return false;
}

Result<LogLevel> parse_level(const std::string& text) {
  const std::string level = to_lower(text);
  if (level == "debug") return LogLevel::kDebug;
  if (level == "info") return LogLevel::kInfo;
  if (level == "warning") return LogLevel::kWarning;
  if (level == "error") return LogLevel::kError;
  return Status(ErrorCode::kInvalidArgument,
                "level: expected debug, info, warning or error, got '" + text + "'");
}

}  // namespace

AdminStatus handle_trace(AdminRequest& request) {
  auto errors_only = query_bool(request, "errors-only", false);
  if (!errors_only) return bad_argument(errors_only.status());
  std::vector<std::string> apis;
  if (auto api = request.query_value("api"); api && !api->empty()) {
    for (std::string& name : split(*api, ',')) {
      if (!name.empty()) apis.push_back(std::move(name));
    }
  }
  auto queue = std::make_shared<StreamQueue<RequestRecord>>(kStreamQueueCapacity);
  StreamSlot slot(request.state.streams, [queue] { queue->close(); });
  if (AdminStatus available = slot.status(); !available) return available;
  // The request log may still call a subscriber after unsubscribe (it calls a copy outside
  // its lock): the callback holds the queue, not the handler's stack.
  RequestLog& log = request.ctx().request_log;
  const uint64_t subscription =
      log.subscribe([queue, apis, errors_only = *errors_only](const RequestRecord& record) {
        if (errors_only && record.status < 400) return;
        if (!api_matches(apis, record.api)) return;
        queue->push(record);
      });
  struct Unsubscribe {
    RequestLog& log;
    uint64_t id;
    ~Unsubscribe() { log.unsubscribe(id); }
  } unsubscribe{log, subscription};
  MAXIO_RETURN_IF_ERROR(start_stream(request));
  return pump(request, *queue, [](const RequestRecord& record) { return trace_json(record); });
}

AdminStatus handle_log(AdminRequest& request) {
  LogLevel min_level = LogLevel::kDebug;
  if (auto level = request.query_value("level"); level && !level->empty()) {
    auto parsed = parse_level(*level);
    if (!parsed) return bad_argument(parsed.status());
    min_level = *parsed;
  }
  size_t last = 0;
  if (auto text = request.query_value("last"); text && !text->empty()) {
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), last);
    if (ec != std::errc() || end != text->data() + text->size()) {
      return AdminStatus(AdminErrorCode::kInvalidArgument, "last: expected a number of lines");
    }
  }
  auto queue = std::make_shared<StreamQueue<LogEntry>>(kStreamQueueCapacity);
  StreamSlot slot(request.state.streams, [queue] { queue->close(); });
  if (AdminStatus available = slot.status(); !available) return available;
  const auto wanted = [min_level](const LogEntry& entry) {
    return static_cast<int>(entry.level) >= static_cast<int>(min_level);
  };
  LogHub& hub = request.state.logs;
  // Subscribe before reading the ring: a line may then show twice, never go missing.
  const uint64_t subscription = hub.subscribe([queue, wanted](const LogEntry& entry) {
    if (wanted(entry)) queue->push(entry);
  });
  struct Unsubscribe {
    LogHub& hub;
    uint64_t id;
    ~Unsubscribe() { hub.unsubscribe(id); }
  } unsubscribe{hub, subscription};
  MAXIO_RETURN_IF_ERROR(start_stream(request));
  for (const LogEntry& entry : hub.recent(last)) {
    if (wanted(entry) && !write_line(request, log_json(entry))) return {};  // client gone
  }
  return pump(request, *queue, [](const LogEntry& entry) { return log_json(entry); });
}

}  // namespace maxio::admin
