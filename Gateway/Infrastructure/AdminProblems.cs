using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>The admin API's problem answers, worded once for every route.</summary>
public static class AdminProblems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The <c>{number}</c> in a route is not a phone number in any accepted spelling.</summary>
    public static ValidationProblem InvalidNumber() =>
        Invalid("number", "number must be a phone number such as +15551111111, 15551111111 or whatsapp:+15551111111");

    /// <summary>The <c>{user}</c> in a route (a conversation's user) is not a phone number in any accepted spelling.</summary>
    public static ValidationProblem InvalidUser() => Invalid("user", "user must be a phone number such as +56912345678");

    public static NotFound<ProblemDetailsBody> NoSuchBot(string number) =>
        TypedResults.NotFound(new ProblemDetailsBody(404, $"No bot has the number {number}", null));
}
