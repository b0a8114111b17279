#include "cli/args.h"

namespace maxio::cli {

namespace {

const FlagSpec* find_long(const std::vector<FlagSpec>& flags, std::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

const FlagSpec* find_short(const std::vector<FlagSpec>& flags, char name) {
  for (const FlagSpec& flag : flags) {
    if (flag.short_name != 0 && flag.short_name == name) return &flag;
  }
  return nullptr;
}

Status usage(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::string ParsedArgs::get(std::string_view name, std::string fallback) const {
  auto it = values.find(std::string(name));
  return it == values.end() ? fallback : it->second;
}

Result<ParsedArgs> parse_flags(const std::vector<FlagSpec>& flags,
                               const std::vector<std::string>& args, size_t verbatim_after,
                               size_t verbatim_count) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (out.positional.size() >= verbatim_after &&
        out.positional.size() < verbatim_after + verbatim_count) {
      out.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      out.positional.insert(out.positional.end(), args.begin() + static_cast<long>(i) + 1,
                            args.end());
      break;
    }
    if (arg.size() > 2 && arg.starts_with("--")) {
      std::string_view body = std::string_view(arg).substr(2);
      auto eq = body.find('=');
      std::string_view name = body.substr(0, eq);
      const FlagSpec* flag = find_long(flags, name);
      if (flag == nullptr) return usage("unknown flag --" + std::string(name));
      if (flag->value_name.empty()) {
        if (eq != std::string_view::npos) {
          return usage("flag --" + flag->name + " takes no value");
        }
        out.values[flag->name] = "";
      } else if (eq != std::string_view::npos) {
        out.values[flag->name] = std::string(body.substr(eq + 1));
      } else {
        if (i + 1 >= args.size()) {
          return usage("flag --" + flag->name + " needs a value (" + flag->value_name + ")");
        }
        out.values[flag->name] = args[++i];
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-') {
      for (size_t c = 1; c < arg.size(); ++c) {
        const FlagSpec* flag = find_short(flags, arg[c]);
        if (flag == nullptr) return usage("unknown flag -" + std::string(1, arg[c]));
        if (flag->value_name.empty()) {
          out.values[flag->name] = "";
          continue;
        }
        if (c + 1 < arg.size()) {
          out.values[flag->name] = arg.substr(c + 1);
        } else if (i + 1 < args.size()) {
          out.values[flag->name] = args[++i];
        } else {
          return usage("flag -" + std::string(1, arg[c]) + " needs a value (" + flag->value_name +
                       ")");
        }
        break;
      }
      continue;
    }
    out.positional.push_back(arg);
  }
  return out;
}

}  // namespace maxio::cli
