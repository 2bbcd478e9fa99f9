namespace Wirespeed.Commands;

/// <summary>The help text: every command and option in one place.</summary>
internal static class Usage
{
    public const string Text = """
usage: wirespeed <command> [options]

  demo [--seconds N] [--rate R] [--scenario S] [--loss SPEC] [--json F] [--hlog F] [--record DIR] [--config F]
        simulator -> loopback multicast -> socket -> decode -> books -> pipeline, then a summary; without --config
        the line is sent twice (A and B) with a re-request server, and the summary says how every message arrived
  demo --aeron [--messages N] [--events-channel URI] [--signals-channel URI] [--config F]
        box A (feed -> normalised events on an Aeron multicast publication) and box B (subscribes, books, patterns,
        signals on a second stream) in one process; shows both sides' counts and compares their book checksums
  run --config F [--seconds N] [--json F] [--hlog F] [--record DIR] [--one-way]
        receive the configured feed lines until SIGINT/SIGTERM (or --seconds)
  simulate [--out F] [--format itch50|pcap] [--messages N] [--seed N] [--scenario S] [--rate R] [--seconds N] [--loss SPEC]
           [--config F]
        run the exchange simulator to a file, or to the configured multicast group when --out is absent (and to
        lines[].b, with a re-request server on lines[].retransmit.server, where configured)
  simulate --soupbintcp-server PORT [--messages N] [--soupbintcp-user U] [--soupbintcp-password P]
           [--soupbintcp-session S] [--linger SECONDS] [--config F]
        serve the simulator's ITCH 5.0 day over SoupBinTCP 3.00 on 127.0.0.1:PORT (replay from any sequence
        number, heartbeats, end of session after the last message) until SIGINT/SIGTERM
  replay --format itch50|pcap FILE [--speed max|recorded|Nx] [--from-time HH:MM:SS|NS] [--from-seq N] [--signals F]
         [--json F] [--hlog F] [--depth N] [--sequencing auto|check|off] [--quarantine-out F] [--session-midnight-ns N]
         [--config F]
        run's pipeline (books, breakers, priority, patterns, signal journal) over a file on a virtual clock (the
        recorded times); counts by type, sequencing, books' top levels, checksum; same input, same signals
  replay DIR [same options] [--line NAME|ID]
        the same over a recording (--record DIR), under its recorded configuration unless --config is given; a
        multi-line recording replays every line (records go to their line's decoder and books by line id);
        --from-time HH:MM:SS (exchange time) or NS (after the first record) and --from-seq N seek through the index;
        --from-seq is the MoldUDP64 sequence of the first line, or of the line --line names
  replay --soupbintcp HOST:PORT [--from-seq N] [--user U] [--password P] [--session S] [replay options]
        log in to a SoupBinTCP 3.00 server, receive its ITCH 5.0 messages from sequence N (1: the first, 0: the
        most recent) until end of session, then replay them as --format itch50 does
  bench [--seconds N] [--rate R] [--passes N] [--json F] [--hlog F] [--record DIR] [--config F]
        latency harness: paced injection, service time and end-to-end HdrHistograms, host interference
  bench --check [--update [--tolerance T]] [--baseline F] [--reps N] [--quick] [--plant NAME]
        regression guard: decode_book, classify_breakers, ring_handoff, pattern_stage as ratios to a reference loop
        of the same run against the baseline (default perf/baseline.json); exit 1 on a ratio beyond the tolerance or
        any allocation or GC in a measured loop, 2 on a baseline error; --update rewrites the baseline; --plant
        slows one benchmark on purpose (the guard's own test)
  soak --hours H [--accelerate X] [--interval-s S] [--rate R] [--json F] [--hlog F] [--config F]
        a simulated trading day (pre-open, open burst, normal, flash crash on line A, news spike on line B, close
        burst) through demo's chain; a row per interval (default 3600 s of the day): service and end-to-end
        p50/p99/p99.9/max, RSS, order and level pools, GC counts and pause, allocated bytes, gaps, drops, breaker
        trips, signals. --accelerate X: the day's clock X times the wall's (rates stay per wall second); --rate: normal
        flow over all lines, msg/s (default 100000; 0.2x pre-open, 4x open and close). Exit 1 naming each failed
        criterion: RSS growth after interval 1 over max(5 %, 16 MiB), any GC after interval 1, service p50 of the
        last interval over 1.5x the first's, any loss, any pool found empty
  hdr FILE.hlog [--tag T]
        percentile table of an HdrHistogram log
  hdr FILE.hlog [FILE2.hlog ...] --plot OUT.svg [--tag T]
        percentile-distribution chart (latency against percentile on a log "nines" axis), the files overlaid;
        plots --tag, else end-to-end where the file has it, else the file's only tag
  journal verify|dump FILE [--json]
        check every record of a signal journal (magic, CRC-32C; resynchronises past damage); dump prints each
        record (JSON Lines with --json). Exit 0 clean, 1 damaged (corrupt records or a torn tail), 2 unreadable
  journal verify|dump|export DIR [--json] [--out F.pcap]
        the same for a recording directory (--record DIR): every segment's header, records and CRC-32C; export
        writes the datagrams as a pcap (Ethernet/IPv4/UDP to each line's group and port) for tshark or Wireshark
  check-config [FILE] [--print]
        validate a configuration file (or the embedded default); errors name the field and the fix
  fuzz [--format config|pcap|itch50|hlog|journal|fix|all] [--cases N] [--seed S] [--jobs N] [--case-timeout SEC]
       [--out DIR] [--no-minimize] [--input FILE]
        mutation fuzzing of the production parsers: per format, cases accepted, rejected by cause, crashed, hung;
        exit 1 on any crash or hang (inputs saved under --out DIR; --input FILE reruns one); --jobs 0: one per CPU;
        --case-timeout: seconds before a case counts as a hang (default 10)

Scenarios: normal, flash-crash, news-spike, open-close, correlated-move.
--loss SPEC (demo, simulate): packets the simulator loses on purpose. "1%": 1% random on side A and, independently,
on side B; or SIDE=MODEL,... with SIDE A, B or both (the same packets on both sides) and MODEL P% (random),
burst:N[@S] (the packets of N messages from sequence S, default 100000), dead or none; e.g. A=1%,B=burst:10000.
Output files (--json, --hlog, --quarantine-out, --out) are checked at start-up: an existing, writable directory; a
regular file or a character device (/dev/null). Written whole files replace the target only when complete.
SIGINT or SIGTERM stops run, demo, bench, soak and replay with their summary and --json file.
--record DIR records every received datagram (rejected ones with their reason) into journal segments in DIR
(the configuration's recording section sets segment size and age, fsync policy, retention, ring and overflow).
Exit codes: 0 ok, 1 run failed (loss, malformed input, alerts where fatal, an output that could not be written, a replay that could
not read its whole file),
2 usage (an output path refused at start-up included), 3 configuration.

""";
}
