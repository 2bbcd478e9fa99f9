using System;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>
/// Joins a <see cref="FixSession"/> to the application seam (Fix/Application/IFixApplicationSession.cs): the order and
/// market-data side sends through <see cref="FixApplicationSession"/> and is called back through
/// <see cref="FixApplicationBridge{THandler}"/>, never seeing the session's own types.
/// </summary>
public readonly struct FixApplicationSession(FixSession session) : IFixApplicationSession
{
    public FixSession Session { get; } = session;

    public bool IsLoggedOn => Session.IsLoggedOn;

    public long Send<TMessage>(ref TMessage message) where TMessage : struct, IFixApplicationMessage
    {
        var body = new MessageBody<TMessage>(message);
        return Session.Send(message.MsgType, ref body, out int seq) == FixStatus.Ok ? seq : 0;
    }

    private struct MessageBody<TMessage>(TMessage message) : IFixBody where TMessage : struct, IFixApplicationMessage
    {
        private TMessage _message = message;
        public void Write(ref FixWriter writer) => _message.WriteBody(ref writer);
    }
}

/// <summary>The session's <see cref="IFixApplication"/> that forwards to an <see cref="IFixApplicationHandler"/>:
/// logon → OnSessionUp, loss → OnSessionDown, application messages and Rejects → OnApplicationMessage.</summary>
public sealed class FixApplicationBridge<THandler>(THandler handler) : IFixApplication where THandler : IFixApplicationHandler
{
    private THandler _handler = handler;

    public void OnLogon(FixSession session) => _handler.OnSessionUp();
    public void OnLogout(FixSession session, string reason) => _handler.OnSessionDown();
    public void OnMessage(FixSession session, FixView message) => _handler.OnApplicationMessage(in message, session.LastReceiveNs);
}
