using System;
using System.Runtime.InteropServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// Unpacks Aeron messages of whole 64-byte <see cref="MarketEvent"/> records (as <see cref="AeronRecordPublisher"/>
/// writes them) into <typeparamref name="THandler"/>, in order. A message whose length is not a multiple of 64 is
/// counted in <see cref="Malformed"/> and skipped whole. Pass it to <see cref="AeronSubscription.Poll"/> by ref.
/// </summary>
public struct AeronEventReader<THandler> : IAeronMessageHandler where THandler : struct, IEventHandler
{
    public THandler Handler;
    public long Events;
    public long Messages;
    public long Malformed;

    public AeronEventReader(THandler handler) => Handler = handler;

    public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
    {
        if (message.Length == 0 || message.Length % MarketEvent.Size != 0)
        {
            Malformed++;
            return;
        }
        Messages++;
        for (int offset = 0; offset < message.Length; offset += MarketEvent.Size)
        {
            MarketEvent evt = MemoryMarshal.Read<MarketEvent>(message.Slice(offset, MarketEvent.Size));
            Events++;
            Handler.OnEvent(ref evt);
        }
    }
}
