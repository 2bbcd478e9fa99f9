using System;
using System.Collections.Generic;

namespace Wirespeed.Hosting.Soak;

/// <summary>One phase of the soak's trading day: a share of the day and the message rate it runs at.</summary>
/// <param name="Name">As the report says it ("open burst").</param>
/// <param name="Start">Start, as a fraction of the day (0..1).</param>
/// <param name="End">End, as a fraction of the day.</param>
/// <param name="RateMultiple">Message rate as a multiple of the normal-flow rate.</param>
public readonly record struct SoakPhase(string Name, double Start, double End, double RateMultiple);

/*
 * The shape of the soak's day (fractions of --hours; the default 8-hour day in brackets, as wall-clock hours of a
 * 09:00-17:00 session):
 *
 *   pre-open     0.0000-0.0625  (09:00-09:30)  0.2×  quotes trickle in before the cross
 *   open burst   0.0625-0.1250  (09:30-10:00)  4×    the opening cross and the first half hour, where volume peaks
 *   normal       0.1250-0.4500  (10:00-12:36)  1×
 *   flash crash  0.4500-0.5000  (12:36-13:00)  1.5×  line A: the simulator's FlashCrash (8 % fall, LULD pauses, recovery)
 *   normal       0.5000-0.6500  (13:00-14:12)  1×
 *   news spike   0.6500-0.7000  (14:12-14:36)  2×    line B: the simulator's NewsSpike (one sector jumps, with volume)
 *   normal       0.7000-0.9375  (14:36-16:30)  1×
 *   close burst  0.9375-1.0000  (16:30-17:00)  4×    the closing cross, then the end of session
 *
 * The multiples follow the U shape of intraday volume (NASDAQ's open and close half hours carry several times the
 * midday rate). The simulator runs one scenario per simulator, so the crash and the news hit different lines, each at
 * the start of its phase (the first message index of the phase, turned into the scenario's virtual onset).
 */

/// <summary>The soak's trading day: its phases and, for a day of a given length and rate, how many messages each sends.</summary>
public static class SoakDay
{
    /// <summary>The phases, in order, covering 0..1 without gaps.</summary>
    public static IReadOnlyList<SoakPhase> Phases { get; } = new SoakPhase[]
    {
        new("pre-open", 0, 0.0625, 0.2),
        new("open burst", 0.0625, 0.125, 4),
        new("normal", 0.125, 0.45, 1),
        new("flash crash", 0.45, 0.5, 1.5),
        new("normal", 0.5, 0.65, 1),
        new("news spike", 0.65, 0.7, 2),
        new("normal", 0.7, 0.9375, 1),
        new("close burst", 0.9375, 1, 4),
    };

    /// <summary>Index in <see cref="Phases"/> of the flash crash.</summary>
    public const int FlashCrashPhase = 3;

    /// <summary>Index in <see cref="Phases"/> of the news spike.</summary>
    public const int NewsSpikePhase = 5;

    /// <summary>The phase at <paramref name="fraction"/> of the day (the last one at or after 1).</summary>
    public static SoakPhase At(double fraction)
    {
        foreach (var p in Phases)
            if (fraction < p.End) return p;
        return Phases[^1];
    }

    /// <summary>The names of the phases that overlap [<paramref name="from"/>, <paramref name="to"/>), joined by " + ".</summary>
    public static string Covering(double from, double to)
    {
        string s = "";
        string last = "";
        foreach (var p in Phases)
        {
            if (p.End <= from || p.Start >= to || p.Name == last) continue;
            s += s.Length == 0 ? p.Name : " + " + p.Name;
            last = p.Name;
        }
        return s;
    }

    /// <summary>Messages phase <paramref name="phase"/> sends at <paramref name="normalRate"/> msg/s in a day of <paramref name="wallSeconds"/>.</summary>
    public static long MessagesOf(int phase, double normalRate, double wallSeconds)
    {
        var p = Phases[phase];
        return Math.Max(1, (long)(normalRate * p.RateMultiple * (p.End - p.Start) * wallSeconds));
    }

    /// <summary>Messages sent before phase <paramref name="phase"/> starts.</summary>
    public static long MessagesBefore(int phase, double normalRate, double wallSeconds)
    {
        long n = 0;
        for (int i = 0; i < phase; i++) n += MessagesOf(i, normalRate, wallSeconds);
        return n;
    }

    /// <summary>Messages of the whole day.</summary>
    public static long Messages(double normalRate, double wallSeconds) => MessagesBefore(Phases.Count, normalRate, wallSeconds);
}
