#pragma once
// ServerContext: the one object that holds what the daemon shares across requests (MinIO
// keeps these in globals). Built once at start-up by daemon/server, then read by every
// handler; members are thread-safe or immutable after start-up.

#include <memory>
#include <string>
#include <vector>

#include "daemon/auth/auth.h"
#include "daemon/storage/object_layer.h"

namespace maxio {

struct ServerConfig {
  std::string address = ":9000";  // listen address, "[host]:port"
  std::string region = "us-east-1";
  std::vector<std::string> domains;  // --domain: enables virtual-host-style addressing
  std::vector<std::string> drives;   // drive paths in command-line order
  auth::Credentials root;
};

struct ServerContext {
  ServerConfig config;
  std::unique_ptr<auth::CredentialProvider> credentials;
  std::unique_ptr<ObjectLayer> object_layer;
  auth::AuthConfig auth_config() const {
    auth::AuthConfig c;
    c.region = config.region;
    c.credentials = credentials.get();
    return c;
  }
};

}  // namespace maxio
