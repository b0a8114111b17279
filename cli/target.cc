#include "cli/target.h"

#include "shared/util/strings.h"

namespace maxio::cli {

std::string Target::display() const {
  if (!remote) return path;
  std::string out = alias;
  if (!bucket.empty()) out += "/" + bucket;
  if (!key.empty()) out += "/" + key;
  return out;
}

Target Target::with_key(std::string new_key) const {
  Target out = *this;
  out.key = std::move(new_key);
  out.text = out.display();
  return out;
}

std::string Target::base_name() const {
  std::string_view name = remote ? (key.empty() ? std::string_view(bucket) : key) : path;
  if (name.size() > 1 && name.ends_with('/')) name.remove_suffix(1);
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos && slash + 1 < name.size()) name = name.substr(slash + 1);
  return std::string(name);
}

bool Target::names_directory() const {
  if (remote) return key.empty() || key.ends_with('/');
  return path.ends_with('/');
}

std::string first_segment(std::string_view arg) {
  return std::string(arg.substr(0, arg.find('/')));
}

Target parse_target(std::string_view arg, const std::function<bool(std::string_view)>& is_alias) {
  Target target;
  target.text = std::string(arg);
  std::string alias = first_segment(arg);
  if (alias.empty() || !is_alias(alias)) {
    target.path = std::string(arg);
    return target;
  }
  target.remote = true;
  target.alias = alias;
  std::string_view rest = arg.substr(alias.size());
  if (!rest.empty()) rest.remove_prefix(1);  // the '/' after the alias
  auto slash = rest.find('/');
  target.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) target.key = std::string(rest.substr(slash + 1));
  return target;
}

std::string join_key(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  std::string out(prefix);
  if (!out.ends_with('/')) out += '/';
  while (name.starts_with('/')) name.remove_prefix(1);
  out += name;
  return out;
}

Result<std::string> key_to_relative_path(std::string_view key) {
  auto invalid = [&](std::string why) {
    return Status(ErrorCode::kInvalidArgument,
                  "key '" + std::string(key) + "' cannot be a local file name: " + why);
  };
  if (key.empty()) return invalid("it is empty");
  if (key.ends_with('/')) return invalid("it names a directory");
  if (key.find('\0') != std::string_view::npos) return invalid("it holds a NUL byte");
  for (const std::string& segment : split(key, '/')) {
    if (segment.empty()) return invalid("it has an empty path segment");
    if (segment == "." || segment == "..") return invalid("it has a '" + segment + "' segment");
  }
  return std::string(key);
}

}  // namespace maxio::cli
