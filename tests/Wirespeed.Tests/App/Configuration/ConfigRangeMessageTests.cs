using Wirespeed.Configuration;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>
/// A JSON integer too large for its field's type: the message names the field, the value written and the field's own
/// range as the validator states it (not the .NET type's), falling back to the type's range where the validator has none.
/// </summary>
public class ConfigRangeMessageTests
{
    [Theory]
    [InlineData("""{ "lines": [ { "port": 99999999999 } ] }""", "lines[0].port", "99999999999 is out of range 1..65535.")]
    [InlineData("""{ "lines": [ { "id": 300000000000 } ] }""", "lines[0].id", "300000000000 is out of range 0..255.")]
    [InlineData("""{ "lines": [ { "receiveBufferBytes": -99999999999 } ] }""", "lines[0].receiveBufferBytes", "-99999999999 is out of range 64 KiB..1 GiB.")]
    [InlineData("""{ "books": { "maxOrders": 99999999999 } }""", "books.maxOrders", "99999999999 is out of range 1024..536870912.")]
    [InlineData("""{ "monitor": { "intervalMs": 5000000000 } }""", "monitor.intervalMs", "5000000000 is out of range 10..60000.")]
    [InlineData("""{ "priority": { "changeLogCapacity": 5000000000 } }""", "priority.changeLogCapacity", "5000000000 is out of range 16..1048576.")]
    [InlineData("""{ "breakers": { "transitionLogCapacity": -5000000000 } }""", "breakers.transitionLogCapacity", "-5000000000 is out of range 16..1048576.")]
    [InlineData("""{ "patterns": { "definitions": [ { "name": "p", "kind": "pairSpread", "window": 99999999999, "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAB" } ] } ] } }""",
                "patterns.definitions[0].window", "99999999999 is out of range 2..1048576.")]
    // No range of the field's own: the validator takes the type's bound (a ceiling) or states none as a..b.
    [InlineData("""{ "memory": { "ceilingBytes": 99999999999999999999 } }""", "memory.ceilingBytes", "99999999999999999999 is out of range -9223372036854775808..9223372036854775807.")]
    [InlineData("""{ "simulator": { "seed": -1 } }""", "simulator.seed", "-1 is out of range 0..18446744073709551615.")]
    public void An_integer_beyond_its_type_names_the_field_the_value_and_the_fields_range(string json, string field, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "c.json"));
        Assert.Equal(field, e.Field);
        Assert.StartsWith($"{field}: {reason} (c.json, line 1)", e.Message);
    }

    [Fact]
    public void Another_bad_field_found_first_leaves_the_types_range()
    {
        // The probe reads the file with the port at Int32.MaxValue; the validator stops at lines[0].id first.
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "lines": [ { "id": 999, "port": 99999999999 } ] }"""));
        Assert.Equal("lines[0].port", e.Field);
        Assert.Contains("99999999999 is out of range -2147483648..2147483647.", e.Message);
    }

    [Fact]
    public void A_fraction_still_says_it_is_not_a_whole_number()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "lines": [ { "port": 1.5 } ] }"""));
        Assert.Contains("1.5 is not a whole number", e.Message);
    }
}
