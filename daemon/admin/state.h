#pragma once
// Private to daemon/admin: the state the admin handlers share, owned by the AdminService.
// Members are thread-safe themselves or guarded as noted.

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/admin/admin.h"
#include "daemon/admin/config_store.h"
#include "daemon/admin/heal_manager.h"
#include "daemon/admin/settings.h"
#include "daemon/admin/streams.h"
#include "daemon/observe/log_hub.h"
#include "daemon/server/server_context.h"

namespace maxio::admin {

class AdminState {
 public:
  AdminState(ServerContext& ctx, LogHub& logs, const AdminOptions& options)
      : ctx(ctx),
        logs(logs),
        startup_settings(settings_of(options.startup_config)),
        pinned_settings(options.startup_config.pinned_settings),
        heal(*ctx.object_layer),
        streams(options.max_streams),
        config_store(*ctx.object_layer) {}

  ServerContext& ctx;
  LogHub& logs;
  // What a key missing from the stored settings falls back to.
  const ServerSettings startup_settings;
  // Keys set on the command line or in the environment: stored values do not override them.
  const std::vector<std::string> pinned_settings;
  HealManager heal;
  StreamRegistry streams;
  ConfigStore config_store;
  std::mutex config_mu;  // serializes changes of the stored configuration

  std::vector<std::string> endpoints() const {
    std::lock_guard<std::mutex> lock(endpoints_mu_);
    return endpoints_;
  }
  void set_endpoints(std::vector<std::string> urls) {
    std::lock_guard<std::mutex> lock(endpoints_mu_);
    endpoints_ = std::move(urls);
  }

 private:
  mutable std::mutex endpoints_mu_;
  std::vector<std::string> endpoints_;  // guarded by endpoints_mu_
};

}  // namespace maxio::admin
