#pragma once
// An agent desk with nobody at it, for connector tests that run on the fake engine: no agent
// exists, so logins and sessions fail and every action is refused; a console that connects sees
// an empty desk.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "rapport/engine/agent_desk.hpp"

namespace rapport::mocks {

class fake_desk final : public rapport::engine::agent_desk {
 public:
  explicit fake_desk(boost::asio::io_context& io) : io_(io) {}

  void login(std::string, std::string, std::function<void(engine::result<std::string>)> done) override {
    refuse(std::move(done), engine::desk_errc::bad_credentials);
  }
  void session(std::string, std::function<void(engine::result<engine::agent_profile>)> done) override {
    refuse(std::move(done), engine::desk_errc::no_session);
  }
  void logout(std::string, std::function<void()> done) override { boost::asio::post(io_, std::move(done)); }
  engine::subscription connect(std::string, std::function<void(const engine::desk_view&)>,
                               std::function<void()>) override {
    return {};
  }
  void set_presence(std::string, engine::presence) override {}
  void may_view(std::string, std::string, std::function<void(bool)> done) override {
    boost::asio::post(io_, [done] { done(false); });
  }
  void accept(std::string, std::string, std::function<void(boost::system::error_code)> done) override {
    refuse_ec(std::move(done));
  }
  void decline(std::string, std::string) override {}
  void send(std::string, std::string, std::string, std::string,
            std::function<void(engine::result<engine::post_result>)> done) override {
    refuse(std::move(done), engine::desk_errc::not_yours);
  }
  void typing(std::string, std::string, bool) override {}
  void return_to_bot(std::string, std::string, std::string,
                     std::function<void(boost::system::error_code)> done) override {
    refuse_ec(std::move(done));
  }
  void transfer(std::string, std::string, std::string, std::string,
                std::function<void(boost::system::error_code)> done) override {
    refuse_ec(std::move(done));
  }
  void close(std::string, std::string, std::string,
             std::function<void(boost::system::error_code)> done) override {
    refuse_ec(std::move(done));
  }
  engine::desk_stats stats() const override { return {}; }

 private:
  template <class T>
  void refuse(std::function<void(engine::result<T>)> done, engine::desk_errc e) {
    boost::asio::post(io_, [done = std::move(done), e] {
      done(engine::result<T>(boost::system::in_place_error, make_error_code(e)));
    });
  }
  void refuse_ec(std::function<void(boost::system::error_code)> done) {
    boost::asio::post(io_, [done = std::move(done)] { done(make_error_code(engine::desk_errc::not_yours)); });
  }
  boost::asio::io_context& io_;
};

}  // namespace rapport::mocks
