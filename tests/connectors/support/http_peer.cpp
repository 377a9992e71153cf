// The local HTTP(S) peer of http_peer.hpp.
#include "support/http_peer.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/beast/ssl/ssl_stream.hpp>

namespace rapport::testing {

namespace net = boost::asio;
namespace beast = boost::beast;

certificate make_self_signed(const std::string& host) {
  certificate out;
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  const std::string san = "DNS:" + host;
  for (auto [nid, value] : {std::pair<int, const char*>{NID_subject_alt_name, san.c_str()},
                            {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  auto to_string = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return s;
  };
  out.cert_pem = to_string([&](BIO* b) { PEM_write_bio_X509(b, x); });
  out.key_pem = to_string([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

struct http_peer::connection : std::enable_shared_from_this<connection> {
  connection(http_peer& p, net::ip::tcp::socket s) : peer(p) {
    if (p.tls_) tls.emplace(std::move(s), *p.tls_);
    else plain.emplace(std::move(s));
  }
  void start() {
    if (tls) {
      tls->async_handshake(net::ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->read();
      });
    } else {
      read();
    }
  }
  template <class F>
  void with(F&& f) {
    if (tls) f(*tls);
    else f(*plain);
  }
  void read() {
    with([this](auto& s) {
      beast::http::async_read(s, buffer, req, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (!ec) self->respond();
      });
    });
  }
  void respond() {
    {
      std::lock_guard lock(peer.mutex_);
      peer.received_.push_back(req);
    }
    auto r = peer.handler_(req);
    if (!r) {
      std::lock_guard lock(peer.mutex_);
      peer.hanging_.push_back(shared_from_this());  // keep the connection open, silent
      return;
    }
    res = std::move(*r);
    res.keep_alive(false);
    res.prepare_payload();
    with([this](auto& s) {
      beast::http::async_write(s, res, [self = shared_from_this()](beast::error_code, std::size_t) {
        self->with([](auto& s) {
          beast::error_code ignored;
          beast::get_lowest_layer(s).shutdown(net::ip::tcp::socket::shutdown_send, ignored);
        });
      });
    });
  }
  http_peer& peer;
  std::optional<net::ip::tcp::socket> plain;
  std::optional<beast::ssl_stream<net::ip::tcp::socket>> tls;
  beast::flat_buffer buffer;
  request req;
  response res;
};

http_peer::http_peer(handler h, std::optional<certificate> tls) : handler_(std::move(h)), acceptor_(io_) {
  if (tls) {
    tls_.emplace(net::ssl::context::tls_server);
    tls_->use_certificate_chain(net::buffer(tls->cert_pem));
    tls_->use_private_key(net::buffer(tls->key_pem), net::ssl::context::pem);
  }
  net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

http_peer::~http_peer() {
  io_.stop();
  thread_.join();
}

void http_peer::accept() {
  acceptor_.async_accept([this](beast::error_code ec, net::ip::tcp::socket s) {
    if (ec) return;
    std::make_shared<connection>(*this, std::move(s))->start();
    accept();
  });
}

}  // namespace rapport::testing
