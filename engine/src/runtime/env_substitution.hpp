#pragma once
// ${ENV_VAR} substitution for webhook URLs and headers, so secrets stay out of bot files.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rapport::engine::detail {

using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment.
env_lookup process_environment();

// Replaces each ${NAME} (NAME: letters, digits, underscore) with its value; an unset variable
// becomes empty and is reported through `missing`. Other text, including a lone "$", stays.
std::string substitute_env(std::string_view text, const env_lookup& lookup,
                           const std::function<void(std::string_view name)>& missing = {});

}  // namespace rapport::engine::detail
