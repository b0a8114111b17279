#pragma once
// Console: where maxioctl's output goes. Text or JSON lines on stdout (--json: one object
// per line, each with "status"), one-line errors "maxioctl: <reason>" on stderr, and a
// progress line on stderr when it is a terminal. Thread-safe: transfers running on several
// threads print through one Console; every call writes whole lines under one mutex.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json_fwd.hpp>

#include "shared/util/status.h"

namespace maxio::cli {

using Json = nlohmann::ordered_json;

// Exit codes of maxioctl.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // a command failed (also partly, for several targets)
inline constexpr int kExitUsage = 2;  // bad arguments or flags
inline constexpr int kExitInterrupted = 130;

class Console {
 public:
  // `out` and `err` must outlive the console. `err_is_tty` enables the progress line.
  Console(std::ostream& out, std::ostream& err, bool err_is_tty);

  void set_json(bool json) { json_ = json; }
  void set_quiet(bool quiet) { quiet_ = quiet; }
  bool json() const { return json_; }
  bool quiet() const { return quiet_; }

  // A line of text output on stdout (the result of a command; printed even with --quiet).
  void print(std::string_view line);
  // A status line on stdout in text mode; nothing with --quiet or --json.
  void info(std::string_view line);
  // One JSON object as a line on stdout, with "status":"success" first unless it has a
  // "status" already.
  void emit(const Json& object);
  // Raw bytes on stdout (cat). kIo when stdout fails (a closed pipe).
  Status write_raw(const char* data, size_t size);
  Status flush();

  // "maxioctl: <reason>" on stderr; with --json also {"status":"error","error":{"message":
  // reason,"code":code}} on stdout, so scripts reading stdout see the failure.
  void error(std::string_view reason, std::string_view code = {});
  // "maxioctl: warning: <text>" on stderr (not with --quiet).
  void warn(std::string_view text);

  // Whether a progress line is drawn: stderr is a terminal, and neither --json nor --quiet.
  bool progress_enabled() const { return err_is_tty_ && !json_ && !quiet_; }
  // Draws `text` as the progress line (replacing the previous one); no-op when disabled.
  void show_progress(std::string_view text);
  void clear_progress();

  std::ostream& raw_err() { return err_; }

 private:
  void clear_progress_locked();

  std::ostream& out_;
  std::ostream& err_;
  bool err_is_tty_;
  bool json_ = false;
  bool quiet_ = false;
  std::mutex mu_;
  bool progress_shown_ = false;  // guarded by mu_
};

// Counts the bytes of the running transfers and, on a terminal, redraws a progress line
// twice a second on a thread of its own: "  12.0 MiB / 100.0 MiB [=====>     ] 12%  5.1 MiB/s".
// Thread-safe; add() is lock-free.
class Progress {
 public:
  explicit Progress(Console& console);
  ~Progress();  // stops the drawing thread and clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add_total(uint64_t bytes) { total_.fetch_add(bytes, std::memory_order_relaxed); }
  void add(uint64_t bytes) { done_.fetch_add(bytes, std::memory_order_relaxed); }
  // Takes back bytes counted by an attempt that is retried or failed.
  void remove(uint64_t bytes) { done_.fetch_sub(bytes, std::memory_order_relaxed); }
  uint64_t done() const { return done_.load(std::memory_order_relaxed); }

  // The progress line for the given numbers (for tests).
  static std::string render(uint64_t done, uint64_t total, double bytes_per_second, int width);

 private:
  void draw_loop();

  Console& console_;
  std::atomic<uint64_t> total_{0};
  std::atomic<uint64_t> done_{0};
  std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace maxio::cli
