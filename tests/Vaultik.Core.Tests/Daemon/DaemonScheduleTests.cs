using Vaultik.Core.Daemon;

namespace Vaultik.Core.Tests.Daemon;

/// <summary>
/// <see cref="DaemonSchedule.IsDue"/>: intervals are spans between instants (a DST change or an offset moves no
/// run), each threshold is inclusive to the tick, the minimum gap beats everything, and a host that slept
/// through several intervals runs once when it wakes, not once per missed interval.
/// </summary>
public sealed class DaemonScheduleTests
{
    private static readonly DaemonSchedule Schedule = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(15), TimeSpan.FromHours(24));
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_run_is_due_as_soon_as_a_path_is_dirty_and_not_before()
    {
        Assert.True(Schedule.IsDue(T0, lastRun: null, lastFullScan: T0, dirty: true, overflowed: false, out var reason));
        Assert.Equal("paths changed", reason);
        Assert.False(Schedule.IsDue(T0, lastRun: null, lastFullScan: T0, dirty: false, overflowed: false, out reason));
        Assert.Equal(string.Empty, reason);
    }

    [Theory]
    [InlineData(59 * 60 + 59, false)]
    [InlineData(60 * 60, true)]
    [InlineData(60 * 60 + 1, true)]
    public void Dirty_paths_wait_for_the_backup_interval_to_the_second(int secondsSinceLastRun, bool due)
    {
        var now = T0.AddSeconds(secondsSinceLastRun);
        Assert.Equal(due, Schedule.IsDue(now, lastRun: T0, lastFullScan: T0, dirty: true, overflowed: false, out var reason));
        Assert.Equal(due ? "paths changed" : string.Empty, reason);
    }

    [Theory]
    [InlineData(23 * 3600 + 3599, false)]
    [InlineData(24 * 3600, true)]
    public void A_full_scan_is_due_at_the_full_scan_interval_even_with_nothing_dirty(int secondsSinceFullScan, bool due)
    {
        var now = T0.AddSeconds(secondsSinceFullScan);
        Assert.Equal(due, Schedule.IsDue(now, lastRun: now.AddHours(-2), lastFullScan: T0, dirty: false, overflowed: false, out var reason));
        Assert.Equal(due ? "full scan interval reached" : string.Empty, reason);
    }

    [Theory]
    [InlineData(14 * 60 + 59, false)]
    [InlineData(15 * 60, true)]
    public void The_minimum_gap_holds_back_even_an_overflow_and_a_due_full_scan(int secondsSinceLastRun, bool due)
    {
        var now = T0.AddSeconds(secondsSinceLastRun);
        Assert.Equal(due, Schedule.IsDue(now, lastRun: T0, lastFullScan: T0.AddDays(-3), dirty: true, overflowed: true, out var reason));
        Assert.Equal(due ? "the file watcher overflowed; full scan" : string.Empty, reason);
    }

    [Fact]
    public void An_overflow_wins_over_the_other_reasons_and_needs_no_dirty_path()
    {
        Assert.True(Schedule.IsDue(T0.AddMinutes(20), lastRun: T0, lastFullScan: T0, dirty: false, overflowed: true, out var reason));
        Assert.Equal("the file watcher overflowed; full scan", reason);
    }

    [Fact]
    public void Intervals_are_measured_between_instants_across_a_DST_change_and_any_offsets()
    {
        // Europe/Berlin, 2021-03-28: 02:00 CET became 03:00 CEST. 01:30+01:00 to 03:30+02:00 is one hour, not two.
        var before = new DateTimeOffset(2021, 3, 28, 1, 30, 0, TimeSpan.FromHours(1));
        var after = new DateTimeOffset(2021, 3, 28, 3, 30, 0, TimeSpan.FromHours(2));
        var twoHours = Schedule with { BackupInterval = TimeSpan.FromHours(2) };
        Assert.True(Schedule.IsDue(after, lastRun: before, lastFullScan: after, dirty: true, overflowed: false, out _));
        Assert.False(twoHours.IsDue(after, lastRun: before, lastFullScan: after, dirty: true, overflowed: false, out _));

        // October: 02:30+02:00 then 02:30+01:00, the same wall clock an hour later; the interval has passed.
        var autumnFirst = new DateTimeOffset(2021, 10, 31, 2, 30, 0, TimeSpan.FromHours(2));
        var autumnSecond = new DateTimeOffset(2021, 10, 31, 2, 30, 0, TimeSpan.FromHours(1));
        Assert.True(Schedule.IsDue(autumnSecond, lastRun: autumnFirst, lastFullScan: autumnSecond, dirty: true, overflowed: false, out _));

        // The same instant in UTC and in +05:30 is no gap at all: the minimum gap holds it back.
        Assert.False(Schedule.IsDue(T0.ToOffset(TimeSpan.FromHours(5.5)), lastRun: T0, lastFullScan: T0, dirty: true, overflowed: false, out _));
    }

    [Fact]
    public void After_sleeping_through_many_intervals_one_run_is_due_and_the_next_waits_again()
    {
        var woke = T0.AddDays(3);
        Assert.True(Schedule.IsDue(woke, lastRun: T0, lastFullScan: T0, dirty: true, overflowed: false, out var reason));
        Assert.Equal("full scan interval reached", reason);

        // That run was a full scan: straight after it nothing is due, however much was missed.
        var ran = woke.AddMinutes(2);
        Assert.False(Schedule.IsDue(ran.AddMinutes(1), lastRun: ran, lastFullScan: ran, dirty: true, overflowed: false, out _));
        Assert.True(Schedule.IsDue(ran.AddHours(1), lastRun: ran, lastFullScan: ran, dirty: true, overflowed: false, out _));
    }

    [Fact]
    public void A_clock_set_back_before_the_last_run_is_not_a_gap_long_enough()
    {
        // now - lastRun is negative: less than the minimum gap, so nothing runs until the clock passes it again.
        Assert.False(Schedule.IsDue(T0.AddHours(-5), lastRun: T0, lastFullScan: T0.AddDays(-2), dirty: true, overflowed: true, out _));
    }
}
