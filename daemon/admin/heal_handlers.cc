// POST /heal/start, /heal/stop; GET /heal/status, /heal/stream.

#include "daemon/admin/request.h"
#include "daemon/admin/views.h"

namespace maxio::admin {

namespace {

nlohmann::ordered_json current_status(AdminRequest& request) {
  return heal_status_json(request.state.heal.status(),
                          request.ctx().object_layer->storage_info().healing);
}

}  // namespace

AdminStatus handle_heal_start(AdminRequest& request) {
  HealRequest heal;
  heal.bucket = request.query_value("bucket").value_or("");
  heal.prefix = request.query_value("prefix").value_or("");
  auto deep = query_bool(request, "deep", false);
  if (!deep) return bad_argument(deep.status());
  heal.deep = *deep;
  if (!heal.bucket.empty()) {
    MAXIO_RETURN_IF_ERROR(request.ctx().object_layer->get_bucket_info(heal.bucket));
  } else if (!heal.prefix.empty()) {
    return AdminStatus(AdminErrorCode::kInvalidArgument, "prefix: needs a bucket");
  }
  if (request.state.streams.shut_down()) return AdminStatus(AdminErrorCode::kShuttingDown);
  auto started = request.state.heal.start(heal);
  if (!started) return AdminStatus(AdminErrorCode::kHealAlreadyRunning);
  return send_json(request, 202,
                   heal_status_json(started, request.ctx().object_layer->storage_info().healing));
}

AdminStatus handle_heal_status(AdminRequest& request) {
  return send_json(request, 200, current_status(request));
}

AdminStatus handle_heal_stop(AdminRequest& request) {
  if (!request.state.heal.stop()) return AdminStatus(AdminErrorCode::kHealNotRunning);
  return send_json(request, 200, current_status(request));
}

AdminStatus handle_heal_stream(AdminRequest& request) {
  // Nothing is ever queued: the queue is the interruptible one-second wait between lines.
  auto wake = std::make_shared<StreamQueue<int>>(1);
  const uint64_t slot = request.state.streams.open([wake] { wake->close(); });
  if (slot == 0) {
    return AdminStatus(request.state.streams.shut_down() ? AdminErrorCode::kShuttingDown
                                                         : AdminErrorCode::kTooManyStreams);
  }
  struct Release {
    StreamRegistry& streams;
    uint64_t slot;
    ~Release() { streams.release(slot); }
  } release{request.state.streams, slot};
  MAXIO_RETURN_IF_ERROR(start_stream(request));
  while (true) {
    const std::optional<HealRunStatus> run = request.state.heal.status();
    if (!write_line(request,
                    heal_status_json(run, request.ctx().object_layer->storage_info().healing))) {
      return {};  // the client went away: the normal end of a stream
    }
    if (!run || run->state != HealState::kRunning) break;
    if (wake->wait_pop(std::chrono::seconds(1)).closed) break;
  }
  (void)request.exchange.response.finish();
  return {};
}

}  // namespace maxio::admin
