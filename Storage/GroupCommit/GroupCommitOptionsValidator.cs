using Microsoft.Extensions.Options;

namespace HorizonAI.Storage.GroupCommit;

[OptionsValidator]
public sealed partial class GroupCommitOptionsValidator : IValidateOptions<GroupCommitOptions>;
