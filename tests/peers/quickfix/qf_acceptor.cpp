// QuickFIX C++ acceptor for Wirespeed's session tests: QF-ACC accepts WS-INIT on 127.0.0.1:<port> and answers
// every NewOrderSingle with an ExecutionReport. Usage: qf_acceptor PORT FIX44.xml. Events on stdout; commands on
// stdin (peer_common.h); stdin closed or "quit" stops it.
#include "peer_common.h"

#include <quickfix/SocketAcceptor.h>

int main(int argc, char** argv) {
  if (argc != 3) { std::cerr << "usage: qf_acceptor PORT FIX44.xml" << std::endl; return 2; }
  std::ostringstream cfg;
  cfg << peer::common_settings(argv[2])
      << "ConnectionType=acceptor\nSocketAcceptPort=" << argv[1] << "\nSocketReuseAddress=Y\n"
      << "[SESSION]\nBeginString=FIX.4.4\nSenderCompID=QF-ACC\nTargetCompID=WS-INIT\n";
  try {
    std::istringstream in(cfg.str());
    FIX::SessionSettings settings(in);
    peer::PrintingApplication app;
    FIX::MemoryStoreFactory store;
    FIX::SocketAcceptor acceptor(app, store, settings);
    acceptor.start();
    peer::emit("READY");
    peer::command_loop(app);
    acceptor.stop();
  } catch (std::exception& e) {
    std::cerr << "qf_acceptor: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
