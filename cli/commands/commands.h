#pragma once
// The handlers of maxioctl's commands (one function per command), and the helpers they
// share. Private to cli/: app.cc lists them in the command table.

#include <string>
#include <string_view>

#include "cli/app.h"
#include "cli/target.h"
#include "shared/util/status.h"

namespace maxio::cli {

// alias.cc
int run_alias_set(Invocation& invocation);
int run_alias_ls(Invocation& invocation);
int run_alias_rm(Invocation& invocation);

// bucket.cc
int run_ls(Invocation& invocation);
int run_mb(Invocation& invocation);
int run_rb(Invocation& invocation);

// object.cc
int run_cat(Invocation& invocation);
int run_stat(Invocation& invocation);
int run_rm(Invocation& invocation);
int run_presign(Invocation& invocation);

// copy.cc
int run_cp(Invocation& invocation);
int run_mv(Invocation& invocation);
int run_mirror(Invocation& invocation);

// admin.cc
int run_admin_info(Invocation& invocation);
int run_admin_datausage(Invocation& invocation);
int run_admin_heal(Invocation& invocation);
int run_admin_config_get(Invocation& invocation);
int run_admin_config_set(Invocation& invocation);
int run_admin_config_history(Invocation& invocation);
int run_admin_config_restore(Invocation& invocation);
int run_admin_service_restart(Invocation& invocation);
int run_admin_service_stop(Invocation& invocation);
int run_admin_trace(Invocation& invocation);
int run_admin_log(Invocation& invocation);
int run_admin_prometheus_generate(Invocation& invocation);

// completion.cc
int run_completion(Invocation& invocation);
int run_complete_word(Invocation& invocation);  // hidden: "__complete WORD"
std::string bash_completion_script();

// ---- shared helpers (common.cc) ----

// Reports `status` as "maxioctl: <context>: <reason>" and returns the exit code: 130 after
// SIGINT, else 1.
int fail(Invocation& invocation, const Status& status, std::string_view context);
// Reports a usage error and returns 2.
int usage_error(Invocation& invocation, std::string_view message);
// The argument as a remote target, or an error naming the missing alias. `need` says what
// the command needs at least: "alias", "bucket" or "object".
Result<Target> remote_target(Invocation& invocation, std::string_view arg, std::string_view need);
// Removes the objects of a bucket under `prefix` ("" for all), every version and delete
// marker with `versions`, page by page with DeleteObjects. With `report_each` each removal
// is printed (text or JSON); failures of single objects are always reported. Counts what
// was removed and what failed; returns a listing or connection error.
Status remove_under(Invocation& invocation, const Target& bucket, const std::string& prefix,
                    bool versions, bool dry_run, bool report_each, size_t& removed,
                    size_t& failures);
// Numeric flag value within [min, max]; kInvalidArgument naming the flag otherwise.
Result<int> int_flag(const Invocation& invocation, std::string_view name, int fallback, int min,
                     int max);

}  // namespace maxio::cli
