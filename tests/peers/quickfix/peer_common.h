// Shared by the QuickFIX C++ test peers: an Application that prints every event as one line on stdout, so the
// .NET tests can follow the session from outside. Debian's QuickFIX 1.15 headers use dynamic exception
// specifications, hence -std=c++14 (CMakeLists.txt).
#pragma once

#include <quickfix/Application.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/MessageStore.h>

#include <algorithm>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

namespace peer {

inline std::mutex& out_mutex() { static std::mutex m; return m; }

// One line per event: "<EVENT> <message with SOH as |>".
inline void emit(const std::string& event, const std::string& text = "") {
  std::lock_guard<std::mutex> lock(out_mutex());
  std::string line = text;
  std::replace(line.begin(), line.end(), '\x01', '|');
  std::cout << event << (line.empty() ? "" : " ") << line << std::endl;
}

// Settings shared by both roles; the caller appends the role's own keys.
inline std::string common_settings(const std::string& dictionary) {
  std::ostringstream s;
  s << "[DEFAULT]\n"
    << "StartTime=00:00:00\nEndTime=00:00:00\n"          // equal start and end: the session never ends
    << "UseDataDictionary=Y\nDataDictionary=" << dictionary << "\n"
    << "ValidateUserDefinedFields=N\n"
    << "CheckLatency=N\n"
    << "ResetOnLogon=N\nResetOnLogout=N\nResetOnDisconnect=N\n";
  return s.str();
}

class PrintingApplication : public FIX::Application {
 public:
  FIX::SessionID session;
  bool logged_on = false;

  void onCreate(const FIX::SessionID& id) override { session = id; emit("CREATE", id.toString()); }
  void onLogon(const FIX::SessionID&) override { logged_on = true; emit("LOGON"); }
  void onLogout(const FIX::SessionID&) override { logged_on = false; emit("LOGOUT"); }
  void toAdmin(FIX::Message& m, const FIX::SessionID&) override { emit("ADMIN_OUT", m.toString()); }
  void toApp(FIX::Message& m, const FIX::SessionID&) throw(FIX::DoNotSend) override { emit("APP_OUT", m.toString()); }
  void fromAdmin(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    emit("ADMIN_IN", m.toString());
  }
  void fromApp(const FIX::Message& m, const FIX::SessionID& id)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    emit("APP_IN", m.toString());
    FIX::MsgType type;
    m.getHeader().getField(type);
    if (type.getValue() == "D") acknowledge(m, id);
  }

 private:
  int exec_id_ = 0;

  // A NewOrderSingle is answered with an ExecutionReport (ExecType 0 New) carrying a Parties group, so the
  // Wirespeed side parses a repeating group QuickFIX wrote.
  void acknowledge(const FIX::Message& order, const FIX::SessionID& id) {
    FIX::Message report;
    report.getHeader().setField(FIX::MsgType("8"));
    report.setField(37, "QF-ORD-" + order.getField(11));
    report.setField(17, "QF-EXEC-" + std::to_string(++exec_id_));
    report.setField(11, order.getField(11));
    report.setField(150, "0");
    report.setField(39, "0");
    report.setField(55, order.getField(55));
    report.setField(54, order.getField(54));
    report.setField(38, order.getField(38));
    report.setField(151, order.getField(38));
    report.setField(14, "0");
    report.setField(6, "0");
    FIX::Group party(453, 448);
    party.setField(448, "QUICKFIX");
    party.setField(447, "D");
    party.setField(452, "1");
    report.addGroup(party);
    FIX::Session::sendToTarget(report, id);
  }
};

// Commands on stdin, one per line: "testrequest ID", "order CLORDID", "logout", "quit".
inline void command_loop(PrintingApplication& app) {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string verb, arg;
    words >> verb >> arg;
    try {
      if (verb == "quit") break;
      if (verb == "testrequest") {
        FIX::Message m;
        m.getHeader().setField(FIX::MsgType("1"));
        m.setField(112, arg);
        FIX::Session::sendToTarget(m, app.session);
      } else if (verb == "order") {
        FIX::Message m;
        m.getHeader().setField(FIX::MsgType("D"));
        m.setField(11, arg);
        m.setField(55, "EUR/USD");
        m.setField(54, "1");
        m.setField(60, "20261208-10:00:00.000");
        m.setField(38, "100");
        m.setField(40, "1");
        FIX::Session::sendToTarget(m, app.session);
      } else if (verb == "logout") {
        FIX::Session* s = FIX::Session::lookupSession(app.session);
        if (s) s->logout("quickfix peer logout");
      } else {
        emit("UNKNOWN_COMMAND", line);
      }
    } catch (std::exception& e) {
      emit("ERROR", e.what());
    }
  }
}

}  // namespace peer
