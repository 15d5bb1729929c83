namespace HorizonAI.Grains.Interfaces;

/// <summary>A page of a longer list: <see cref="Total"/> items exist in all.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.page`1")]
public sealed record Page<T>([property: Id(0)] T[] Items, [property: Id(1)] int Total, [property: Id(2)] int Offset, [property: Id(3)] int Limit);
