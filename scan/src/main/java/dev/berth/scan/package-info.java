/**
 * The scanning chain shared by the mail kinds (smtp, pop3-proxy): named scanners defined once
 * under the top-level {@code scanners:} section, listed per service ({@code scan: [sig, clamav]}).
 *
 * <pre>
 * scanners:
 *   sig:    {kind: signatures, patterns: ["secret-[0-9]{4}"], timeout: 30s}
 *   clamav: {kind: clamd, address: 127.0.0.1:3310, timeout: 30s, on-unavailable: tempfail, on-too-large: tempfail}
 *   spam:   {kind: rspamd, url: "http://127.0.0.1:11333", reject-score: 15, tag-score: 6, timeout: 30s, on-unavailable: tempfail}
 * </pre>
 *
 * Flow: {@link dev.berth.scan.ScanSettings#parse} (pure, at config time) →
 * {@link dev.berth.scan.ScanSettings#newChain()} (per service, no I/O) →
 * {@link dev.berth.scan.ScanChain#scan} (blocking, any thread but an event loop) →
 * {@link dev.berth.scan.ScanReport#outcome()} and {@link dev.berth.scan.ScanReport#tagHeaders()}.
 * Scanners never throw for a scanning failure; they answer
 * {@link dev.berth.scan.Verdict.Unavailable}, which each scanner's policy turns into a temporary
 * failure or lets through.
 */
package dev.berth.scan;
