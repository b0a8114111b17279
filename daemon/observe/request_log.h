#pragma once
// RequestLog: every finished HTTP request as the live trace and the metrics see it. The
// server publishes one RequestRecord per request after its response is complete;
// subscribers (an admin trace stream, the metrics registry) are called on the publishing
// thread and must return quickly. Thread-safe; owned by the ServerContext.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace maxio {

struct RequestRecord {
  std::chrono::system_clock::time_point time;  // when the request arrived
  std::string request_id;
  // The API: the S3 operation ("PutObject"), "admin.<Route>", "Metrics", "Health", or
  // "Unknown" for a request rejected before it was routed.
  std::string api;
  std::string method;
  std::string path;       // still percent-encoded
  std::string raw_query;  // still percent-encoded
  std::string bucket;     // decoded, when the request names one
  std::string key;
  int status = 0;          // the HTTP status sent (0 when the connection failed before any)
  uint64_t bytes_in = 0;   // request body bytes read
  uint64_t bytes_out = 0;  // response body bytes written
  std::chrono::microseconds duration{0};
  std::string remote_address;
  std::string access_key;  // who signed it; empty when anonymous or not authenticated
};

class RequestLog {
 public:
  using Subscriber = std::function<void(const RequestRecord&)>;

  // Adds a subscriber; returns the id to remove it with.
  uint64_t subscribe(Subscriber subscriber);
  void unsubscribe(uint64_t id);
  // Calls every subscriber with `record`.
  void publish(const RequestRecord& record);

 private:
  std::mutex mu_;
  uint64_t next_id_ = 1;                        // guarded by mu_
  std::map<uint64_t, Subscriber> subscribers_;  // guarded by mu_
};

}  // namespace maxio
