using System.IO;
using System.Text.Json;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

public class ReplayCommandTests
{
    [Fact]
    public void Artificial_itch_file_replays_every_message_by_type_with_a_stable_checksum()
    {
        string file = SharedData.Path("itch/artificial-3-stocks.itch50");
        string json = Path.Combine(Path.GetTempPath(), $"ws-replay-{System.Guid.NewGuid():N}.json");
        try
        {
            var (code, output, _) = CommandRunner.Run("replay", "--format", "itch50", file, "--json", json);
            Assert.Equal(0, code);
            Assert.Contains("12,012 messages", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal("replay", root.GetProperty("command").GetString());
            var input = root.GetProperty("input");
            Assert.Equal(12_012, input.GetProperty("messages").GetInt64());
            var byType = root.GetProperty("counters").GetProperty("messages_by_type");
            // Counts from shared/data/README.md.
            (string, long)[] expected = { ("S", 6), ("R", 3), ("H", 3), ("A", 4_997), ("F", 3), ("E", 198), ("X", 45), ("D", 1_745), ("U", 12), ("P", 5_000) };
            foreach (var (type, count) in expected) Assert.Equal(count, byType.GetProperty(type).GetInt64());
            Assert.Equal(0, root.GetProperty("counters").GetProperty("sequencing").GetProperty("gap_messages").GetInt64());
            Assert.False(input.GetProperty("books_stale").GetBoolean());
            Assert.Equal(3, input.GetProperty("top_levels").GetArrayLength());
            Assert.Equal("ALC", input.GetProperty("top_levels")[0].GetProperty("symbol").GetString());
            // The same pipeline as run: breakers, priority and patterns report their sections.
            foreach (string section in new[] { "breakers", "priority", "patterns", "deliver", "frames", "replay" })
                Assert.True(root.GetProperty("counters").TryGetProperty(section, out _), section);

            var again = CommandRunner.Run("replay", "--format", "itch50", file);
            Assert.Contains("book checksum: " + input.GetProperty("book_checksum").GetString(), again.Out);
        }
        finally { File.Delete(json); }
    }

    [Theory]
    [InlineData("AddOrderNoMPID.pcap", "A")]
    [InlineData("AddOrderWithMPID.pcap", "F")]
    [InlineData("OrderExecuted.pcap", "E")]
    [InlineData("OrderExecutedWithPrice.pcap", "C")]
    [InlineData("OrderCancel.pcap", "X")]
    [InlineData("OrderDelete.pcap", "D")]
    [InlineData("OrderReplace.pcap", "U")]
    [InlineData("NonCrossTrade.pcap", "P")]
    [InlineData("CrossTrade.pcap", "Q")]
    [InlineData("StockTradingAction.pcap", "H")]
    [InlineData("RegSHORestriction.pcap", "Y")]
    [InlineData("MarketParticipantPosition.pcap", "L")]
    [InlineData("NetOrderImbalanceIndicator.pcap", "I")]
    [InlineData("LULDAuctionCollar.pcap", "J")]
    [InlineData("SystemEvent.pcap", "S")]
    public void Anonymised_capture_decodes_every_message_and_says_sequencing_was_off(string file, string type)
    {
        var (code, output, _) = CommandRunner.Run("replay", "--format", "pcap", SharedData.Path("itch/nasdaq-packets/" + file));
        Assert.Equal(0, code);
        Assert.Contains("sequencing off (anonymised capture", output);
        Assert.Contains("malformed: none", output);
        Assert.Matches($@"^  messages by type: {type}=\d+\s*$", System.Array.Find(output.Split('\n'), l => l.StartsWith("  messages by type:", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void Anonymised_capture_with_sequencing_checked_reports_the_duplicates()
    {
        var (code, output, _) = CommandRunner.Run("replay", "--format", "pcap", "--sequencing", "check", SharedData.Path("itch/nasdaq-packets/OrderDelete.pcap"));
        Assert.Equal(0, code);
        Assert.Contains("messages by type: D=1", output);
        Assert.Contains("duplicate_packets=4", output);
    }

    [Fact]
    public void Production_packets_report_the_gap_between_them_and_mark_books_stale()
    {
        var (code, output, _) = CommandRunner.Run("replay", "--format", "pcap", SharedData.Path("itch/nasdaq-packets/MultipleMessages.pcap"));
        Assert.Equal(0, code);
        Assert.Contains("session '000010059B', next expected 19009155, books STALE (gap)", output);
        Assert.Contains("gap_messages=4,244,620", output);
    }

    [Fact]
    public void Simulated_file_replays_identically_as_itch50_and_as_pcap()
    {
        string dir = Directory.CreateTempSubdirectory("ws-sim").FullName;
        try
        {
            string itch = Path.Combine(dir, "day.itch50"), pcap = Path.Combine(dir, "day.pcap");
            Assert.Equal(0, CommandRunner.Run("simulate", "--out", itch, "--messages", "50000", "--scenario", "flash-crash").Code);
            Assert.Equal(0, CommandRunner.Run("simulate", "--out", pcap, "--format", "pcap", "--messages", "50000", "--scenario", "flash-crash").Code);
            string a = CommandRunner.Run("replay", "--format", "itch50", itch).Out;
            string b = CommandRunner.Run("replay", "--format", "pcap", pcap).Out;
            string Checksum(string s) => s[(s.IndexOf("book checksum: ", System.StringComparison.Ordinal) + 15)..].Split('\n')[0];
            Assert.Equal(Checksum(a), Checksum(b));
            // Zero counts are omitted from long lists: the simulator never references an order it has not added.
            Assert.DoesNotContain("unknown_order=", a.Split("books:")[1].Split('\n')[0]);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(new[] { "replay" }, "give one file")]
    [InlineData(new[] { "replay", "--format", "csv", "x" }, "must be itch50, pcap or journal")]
    [InlineData(new[] { "replay", "--format", "pcap", "/nonexistent.pcap" }, "does not exist")]
    [InlineData(new[] { "replay", "--format", "pcap", "--sequencing", "maybe", "x" }, "must be auto, check or off")]
    [InlineData(new[] { "replay", "--format", "pcap", "--colour", "red", "x" }, "unknown option --colour")]
    public void Bad_arguments_exit_2_with_a_message(string[] args, string message)
    {
        var (code, _, err) = CommandRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void A_file_that_is_not_pcap_is_refused_clearly()
    {
        string f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, "not a capture");
            var (code, _, err) = CommandRunner.Run("replay", "--format", "pcap", f);
            Assert.Equal(2, code);
            Assert.Contains("is not a pcap file", err);
        }
        finally { File.Delete(f); }
    }
}
