namespace Tenantry.Domain.Common;

/// <summary>
/// A field of a partial update: absent (leave as is) or present with a value, which may
/// itself be null (clear). Distinguishes <c>{}</c> from <c>{"x": null}</c>.
/// </summary>
public readonly record struct Optional<T>(bool HasValue, T Value)
{
    public static Optional<T> Absent => default;

    public static implicit operator Optional<T>(T value) => new(true, value);
}
