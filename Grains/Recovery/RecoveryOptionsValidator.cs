using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Recovery;

[OptionsValidator]
public sealed partial class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>;
