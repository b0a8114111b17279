#pragma once
// ObservedExchange: wraps an HttpExchange to see what a handler did with it: the status
// sent, body bytes read and written. The wrapper must outlive the handler call; not
// thread-safe (one handler drives one exchange).

#include <cstdint>

#include "daemon/http/exchange.h"

namespace maxio {

class ObservedExchange {
 public:
  explicit ObservedExchange(HttpExchange& inner)
      : body_(inner.body), response_(inner.response), exchange_{inner.request, body_, response_} {}

  // The exchange to hand to the handler.
  HttpExchange& exchange() { return exchange_; }
  int status() const { return response_.status; }
  uint64_t bytes_in() const { return body_.bytes; }
  uint64_t bytes_out() const { return response_.bytes; }

 private:
  struct CountingBody final : Reader {
    explicit CountingBody(Reader& inner) : inner(inner) {}
    Result<size_t> read(char* buffer, size_t size) override {
      auto n = inner.read(buffer, size);
      if (n) bytes += *n;
      return n;
    }
    Reader& inner;
    uint64_t bytes = 0;
  };
  struct ObservingResponse final : HttpResponseWriter {
    explicit ObservingResponse(HttpResponseWriter& inner) : inner(inner) {}
    using HttpResponseWriter::write;
    Status send_headers(int code, const HttpHeaders& headers,
                        std::optional<uint64_t> content_length) override {
      Status st = inner.send_headers(code, headers, content_length);
      if (st) status = code;
      return st;
    }
    Status write(const char* data, size_t size) override {
      Status st = inner.write(data, size);
      if (st) bytes += size;
      return st;
    }
    Status finish() override { return inner.finish(); }
    bool headers_sent() const override { return inner.headers_sent(); }
    void close_after_response() override { inner.close_after_response(); }
    HttpResponseWriter& inner;
    int status = 0;
    uint64_t bytes = 0;
  };

  CountingBody body_;
  ObservingResponse response_;
  HttpExchange exchange_;
};

}  // namespace maxio
