using System.Security.Cryptography;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// Demands <c>Authorization: Bearer &lt;any key&gt;</c> as OpenAI does (a missing key is a configuration bug the
/// sandbox should catch), and stamps the <c>x-request-id</c> header OpenAI puts on every answer.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers["x-request-id"] = "req_" + RandomNumberGenerator.GetHexString(32, lowercase: true);

        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= "Bearer ".Length)
        {
            return OpenAIErrors.Create(401,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                OpenAIErrors.InvalidRequest);
        }

        return await next(context);
    }
}
