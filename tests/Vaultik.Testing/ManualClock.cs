namespace Vaultik.Testing;

/// <summary>A clock that moves only when told: elapsed-time measurements (<see cref="TimeProvider.GetTimestamp"/>) read it.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
