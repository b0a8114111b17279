#include "cli/console.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/format.h"

namespace maxio::cli {

Console::Console(std::ostream& out, std::ostream& err, bool err_is_tty)
    : out_(out), err_(err), err_is_tty_(err_is_tty) {}

void Console::clear_progress_locked() {
  if (!progress_shown_) return;
  err_ << "\r\033[K" << std::flush;
  progress_shown_ = false;
}

void Console::print(std::string_view line) {
  std::lock_guard lock(mu_);
  clear_progress_locked();
  out_ << line << '\n';
  out_.flush();
}

void Console::info(std::string_view line) {
  if (quiet_ || json_) return;
  print(line);
}

void Console::emit(const Json& object) {
  std::string text;
  if (object.is_object() && !object.contains("status")) {
    Json copy = {{"status", "success"}};
    for (const auto& [key, value] : object.items()) copy[key] = value;
    text = copy.dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    text = object.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  print(text);
}

Status Console::write_raw(const char* data, size_t size) {
  std::lock_guard lock(mu_);
  clear_progress_locked();
  out_.write(data, static_cast<std::streamsize>(size));
  if (!out_) return Status(ErrorCode::kIo, "cannot write to standard output");
  return Status::ok();
}

Status Console::flush() {
  std::lock_guard lock(mu_);
  out_.flush();
  if (!out_) return Status(ErrorCode::kIo, "cannot write to standard output");
  return Status::ok();
}

void Console::error(std::string_view reason, std::string_view code) {
  std::lock_guard lock(mu_);
  clear_progress_locked();
  err_ << "maxioctl: " << reason << '\n';
  err_.flush();
  if (json_) {
    Json error = {{"message", reason}};
    if (!code.empty()) error["code"] = code;
    Json line = {{"status", "error"}, {"error", std::move(error)}};
    out_ << line.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out_.flush();
  }
}

void Console::warn(std::string_view text) {
  if (quiet_) return;
  std::lock_guard lock(mu_);
  clear_progress_locked();
  err_ << "maxioctl: warning: " << text << '\n';
  err_.flush();
}

void Console::show_progress(std::string_view text) {
  if (!progress_enabled()) return;
  std::lock_guard lock(mu_);
  err_ << "\r\033[K" << text << std::flush;
  progress_shown_ = true;
}

void Console::clear_progress() {
  std::lock_guard lock(mu_);
  clear_progress_locked();
}

// ---- Progress ----

Progress::Progress(Console& console)
    : console_(console), started_(std::chrono::steady_clock::now()) {
  if (console_.progress_enabled()) thread_ = std::thread([this] { draw_loop(); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  console_.clear_progress();
}

std::string Progress::render(uint64_t done, uint64_t total, double bytes_per_second, int width) {
  std::string line = format_size(done);
  if (total > 0) line += " / " + format_size(total);
  if (total > 0) {
    int bar = std::clamp(width - 50, 10, 40);
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    int filled = static_cast<int>(fraction * bar);
    std::string graphic(static_cast<size_t>(bar), ' ');
    for (int i = 0; i < filled; ++i) graphic[static_cast<size_t>(i)] = '=';
    if (filled < bar) graphic[static_cast<size_t>(filled)] = '>';
    char percent[16];
    std::snprintf(percent, sizeof(percent), "%3d%%", static_cast<int>(fraction * 100));
    line += " [" + graphic + "] " + percent;
  }
  if (bytes_per_second > 0) {
    line += "  " + format_size(static_cast<uint64_t>(bytes_per_second)) + "/s";
  }
  return line;
}

void Progress::draw_loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(500));
    if (stop_) break;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    uint64_t done = done_.load(std::memory_order_relaxed);
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    console_.show_progress(render(done, total_.load(std::memory_order_relaxed), rate, 80));
  }
}

}  // namespace maxio::cli
