#pragma once
// The `handoff:` section of the server configuration: teams (assignment, wait limit, office
// hours in a time zone), the desk's timeouts, the agents' session cookie and the CRM webhook.
// Documented in docs/operations/handoff.md.
#include "config/config_reader.hpp"

namespace rapport::app::config::detail {

void read_handoff(reader& r, const YAML::Node& root, server_config& c);

}  // namespace rapport::app::config::detail
