// QuickFIX C++ initiator for Wirespeed's session tests: QF-INIT logs on to WS-ACC at 127.0.0.1:<port> with
// HeartBtInt 1. Usage: qf_initiator PORT FIX44.xml. Events on stdout; commands on stdin (peer_common.h).
#include "peer_common.h"

#include <quickfix/SocketInitiator.h>

int main(int argc, char** argv) {
  if (argc != 3) { std::cerr << "usage: qf_initiator PORT FIX44.xml" << std::endl; return 2; }
  std::ostringstream cfg;
  cfg << peer::common_settings(argv[2])
      << "ConnectionType=initiator\nHeartBtInt=1\nReconnectInterval=1\n"
      << "SocketConnectHost=127.0.0.1\nSocketConnectPort=" << argv[1] << "\n"
      << "[SESSION]\nBeginString=FIX.4.4\nSenderCompID=QF-INIT\nTargetCompID=WS-ACC\n";
  try {
    std::istringstream in(cfg.str());
    FIX::SessionSettings settings(in);
    peer::PrintingApplication app;
    FIX::MemoryStoreFactory store;
    FIX::SocketInitiator initiator(app, store, settings);
    initiator.start();
    peer::emit("READY");
    peer::command_loop(app);
    initiator.stop();
  } catch (std::exception& e) {
    std::cerr << "qf_initiator: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
