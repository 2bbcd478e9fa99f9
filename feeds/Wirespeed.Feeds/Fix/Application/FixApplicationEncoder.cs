using System;

namespace Wirespeed.Feeds.Fix.Application;

/// <summary>
/// The standard header a session writes before an application body: BeginString, BodyLength, MsgType, then
/// SenderCompID (49), TargetCompID (56), MsgSeqNum (34), SendingTime (52) (FIX Transport, StandardHeader). A session
/// uses it in <see cref="IFixApplicationSession.Send{TMessage}"/>; tests and the in-memory counterparty use it to
/// produce whole messages. Immutable; the byte arrays are made once at start-up.
/// </summary>
public sealed class FixApplicationEncoder
{
    private readonly byte[] _beginString;
    private readonly byte[] _sender;
    private readonly byte[] _target;

    public FixApplicationEncoder(string beginString, string senderCompId, string targetCompId)
    {
        if (string.IsNullOrEmpty(senderCompId)) throw new ArgumentException("SenderCompID must not be empty.", nameof(senderCompId));
        if (string.IsNullOrEmpty(targetCompId)) throw new ArgumentException("TargetCompID must not be empty.", nameof(targetCompId));
        _beginString = System.Text.Encoding.ASCII.GetBytes(beginString);
        _sender = System.Text.Encoding.ASCII.GetBytes(senderCompId);
        _target = System.Text.Encoding.ASCII.GetBytes(targetCompId);
    }

    /// <summary>
    /// Writes the whole message into <paramref name="buffer"/> from offset 0. Returns Ok with its length, or the first
    /// fault (<see cref="FixStatus.OutputFull"/> for a buffer too small). Allocates nothing.
    /// </summary>
    public FixStatus Encode<TMessage>(Span<byte> buffer, ref TMessage message, long msgSeqNum, long sendingTimeNs, out int length)
        where TMessage : struct, IFixApplicationMessage
    {
        var w = new FixWriter(buffer, _beginString, message.MsgType);
        w.Bytes(49, _sender);
        w.Bytes(56, _target);
        w.Int(34, msgSeqNum);
        w.Timestamp(52, sendingTimeNs);
        message.WriteBody(ref w);
        return w.Finish(out length);
    }
}
