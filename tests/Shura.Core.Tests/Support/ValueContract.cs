namespace Shura.Core.Tests.Support;

/// <summary>The equality contract every value type must keep, written once.</summary>
public static class ValueContract
{
    /// <param name="value">A value.</param>
    /// <param name="equal">Another instance equal to <paramref name="value"/>.</param>
    /// <param name="different">A value that differs from it.</param>
    public static void HoldsFor<T>(T value, T equal, T different) where T : struct, IEquatable<T>
    {
        Assert.True(value.Equals(equal));
        Assert.True(value.Equals((object)equal));
        Assert.Equal(value.GetHashCode(), equal.GetHashCode());
        Assert.False(value.Equals(different));
        Assert.False(value.Equals((object)different));
        Assert.False(value.Equals(null));
        Assert.True(default(T).Equals(default(T)));
    }
}
