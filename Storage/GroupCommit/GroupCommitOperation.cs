using System.Diagnostics;
using Npgsql;

namespace HorizonAI.Storage.GroupCommit;

/// <summary>
/// One write (or read) that joins a flush of the <see cref="GroupCommitWriter"/>: it adds its statements to the
/// flush's batch, reads their results, and its caller's task completes only once the whole flush has committed.
/// Every statement must return a result set (a SELECT, or RETURNING), so that results line up with operations.
/// </summary>
public abstract class GroupCommitOperation
{
    /// <summary>Twilio SIDs this operation matches rows by that another writer may be writing at the same time.</summary>
    public virtual IEnumerable<string> LockedSids => [];

    /// <summary>The span that asked for this write, if any: the flush that serves it links to it.</summary>
    internal ActivityContext Caller { get; set; }

    public abstract void AddTo(NpgsqlBatch batch);

    /// <summary>Reads this operation's result sets, leaving the reader on the next operation's first.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader);

    internal abstract void Complete();

    internal abstract void Fail(Exception exception);

    /// <summary>Reads the current result set and moves the reader to the next one.</summary>
    protected static async Task<List<T>> ReadRowsAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> read)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        await reader.NextResultAsync();
        return rows;
    }

    protected static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}

/// <summary>An operation whose caller receives a <typeparamref name="T"/> once the flush has committed.</summary>
public abstract class GroupCommitOperation<T> : GroupCommitOperation
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    public Task<T> Completion => _done.Task;

    /// <summary>Called while reading; handed to the caller only after the commit.</summary>
    protected void SetResult(T result) => _result = result;

    internal override void Complete() => _done.TrySetResult(_result);

    internal override void Fail(Exception exception) => _done.TrySetException(exception);
}
