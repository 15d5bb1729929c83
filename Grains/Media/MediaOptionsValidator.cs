using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Media;

[OptionsValidator]
public sealed partial class MediaOptionsValidator : IValidateOptions<MediaOptions>;
