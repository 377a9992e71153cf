#pragma once
// Beast aliases shared by the connectors' sources (private; never in public headers).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace rapport::connectors {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;

using request = beast::http::request<beast::http::string_body>;
using response = beast::http::response<beast::http::string_body>;
using status = beast::http::status;
using field = beast::http::field;
using verb = beast::http::verb;

}  // namespace rapport::connectors
