#pragma once
// Command-line flags of maxioctl: each command declares its flags (FlagSpec); parse_flags
// separates them from the positional arguments. Flags may come before, between or after
// positional arguments; "--" ends the flags. Plain data and pure functions; thread-safe.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio::cli {

struct FlagSpec {
  std::string name;        // long name without dashes: "recursive"
  char short_name = 0;     // 'r' for -r; 0 for none
  std::string value_name;  // "" for a boolean flag, else the flag takes a value ("DURATION")
  std::string help;
  bool hidden = false;  // accepted but left out of --help
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // flag name -> its (last) value; "" for booleans

  bool has(std::string_view name) const { return values.find(std::string(name)) != values.end(); }
  // The flag's value, or `fallback` when it was not given.
  std::string get(std::string_view name, std::string fallback = {}) const;
};

// Accepts "--name", "--name=value", "--name value", "-r", bundled boolean short flags
// ("-rf"), and "-p value" / "-pvalue" for short flags with a value; a lone "-" is a
// positional argument. kInvalidArgument with a message for the user for an unknown flag, a
// missing value, or a value given to a boolean flag.
// Once `verbatim_after` positional arguments were seen, the next `verbatim_count` arguments
// are positional whatever they look like (secret keys may start with '-').
Result<ParsedArgs> parse_flags(const std::vector<FlagSpec>& flags,
                               const std::vector<std::string>& args,
                               size_t verbatim_after = static_cast<size_t>(-1),
                               size_t verbatim_count = 0);

}  // namespace maxio::cli
