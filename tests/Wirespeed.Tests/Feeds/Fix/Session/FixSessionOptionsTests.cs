using System;
using Wirespeed.Feeds.Fix.Session;
using Xunit;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>Options and schedules: every wrong value fails at start-up naming its field; windows over midnight.</summary>
public sealed class FixSessionOptionsTests
{
    private static FixSessionOptions Good => SessionMessages.Initiator();

    public static TheoryData<string, Func<FixSessionOptions, FixSessionOptions>> Wrong => new()
    {
        { "BeginString", o => o with { BeginString = "FIX.5.0" } },
        { "SenderCompId", o => o with { SenderCompId = "" } },
        { "DefaultApplVerId", o => o with { DefaultApplVerId = "FIX50SP2" } },
        { "TargetCompId", o => o with { TargetCompId = "has space" } },
        { "HeartBtIntSeconds", o => o with { HeartBtIntSeconds = 0 } },
        { "TestRequestFactor", o => o with { TestRequestFactor = 0.5 } },
        { "Password", o => o with { Username = "u" } },
        { "Username", o => o with { Password = "p" } },
        { "ResendChunkSize", o => o with { ResendChunkSize = -1 } },
        { "LogonTimeoutMs", o => o with { LogonTimeoutMs = 1 } },
        { "LogoutTimeoutMs", o => o with { LogoutTimeoutMs = 1 } },
        { "Port", o => o with { Port = 0 } },
        { "Host", o => o with { Host = " " } },
        { "ReconnectMinMs", o => o with { ReconnectMinMs = 0 } },
        { "ReconnectMaxMs", o => o with { ReconnectMinMs = 1000, ReconnectMaxMs = 500 } },
        { "StoreDirectory", o => o with { StoreDirectory = " " } },
        { "Schedule.EndTime", o => o with { Schedule = new FixSessionSchedule { StartTime = new TimeOnly(8, 0) } } },
        { "Schedule.StartTime", o => o with { Schedule = new FixSessionSchedule { EndTime = new TimeOnly(8, 0) } } },
        { "Schedule.EndTime", o => o with { Schedule = new FixSessionSchedule { StartTime = new TimeOnly(8, 0), EndTime = new TimeOnly(8, 0) } } },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void Wrong_value_names_its_field(string field, Func<FixSessionOptions, FixSessionOptions> change)
    {
        var e = Assert.Throws<FixSessionConfigException>(() => change(Good).Validated());
        Assert.StartsWith("FIX session: " + field + " ", e.Message);
    }

    [Fact]
    public void Defaults_with_identities_and_a_port_are_valid()
    {
        Assert.Equal("US->THEM", Good.Validated().Name);
        Assert.Equal(30, new FixSessionOptions().HeartBtIntSeconds);
        Assert.Equal(1.2, new FixSessionOptions().TestRequestFactor);
    }

    [Fact]
    public void Window_within_a_day()
    {
        var s = new FixSessionSchedule { StartTime = new TimeOnly(8, 0), EndTime = new TimeOnly(17, 0) };
        var day = new DateTime(2026, 12, 8, 0, 0, 0, DateTimeKind.Utc);
        Assert.False(s.IsActive(day.AddHours(7.99)));
        Assert.True(s.IsActive(day.AddHours(8)));
        Assert.Equal(day.AddHours(8), s.WindowStart(day.AddHours(12)));
        Assert.False(s.IsActive(day.AddHours(17)));
    }

    [Fact]
    public void Window_over_midnight()
    {
        var s = new FixSessionSchedule { StartTime = new TimeOnly(22, 0), EndTime = new TimeOnly(6, 0) };
        var day = new DateTime(2026, 12, 8, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(day.AddHours(22), s.WindowStart(day.AddHours(23)));
        Assert.Equal(day.AddHours(-2), s.WindowStart(day.AddHours(3)));
        Assert.Null(s.WindowStart(day.AddHours(12)));
    }

    [Fact]
    public void Always_up_starts_a_window_each_utc_day()
    {
        var t = new DateTime(2026, 12, 8, 13, 30, 0, DateTimeKind.Utc);
        Assert.True(FixSessionSchedule.Always.IsActive(t));
        Assert.Equal(t.Date, FixSessionSchedule.Always.WindowStart(t));
    }

    [Fact]
    public void Engine_refuses_the_same_compid_pair_twice()
    {
        var engine = new Wirespeed.Feeds.Fix.Session.Tcp.FixEngine();
        engine.Add(Good);
        var e = Assert.Throws<FixSessionConfigException>(() => engine.Add(Good));
        Assert.Contains("configured twice", e.Message);
        Assert.Throws<FixSessionConfigException>(() => new Wirespeed.Feeds.Fix.Session.Tcp.FixEngine(tickMs: 0));
    }
}
