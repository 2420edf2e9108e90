/**
 * Per-run workspaces through which pipeline steps pass data, whatever the runtime family.
 *
 * <p>Layout of one run, under the node's workspace root:
 * <pre>
 * &lt;root&gt;/&lt;runId&gt;/
 *   trigger/&lt;file&gt;                       the triggering file, hard-linked (same filesystem) or copied; never moved
 *   steps/&lt;step&gt;[/&lt;item&gt;]/in/&lt;input&gt;/   what the step reads, staged by hard link (copy as fallback)
 *   steps/&lt;step&gt;[/&lt;item&gt;]/out/          what the step writes; its declared outputs are paths relative to it
 * </pre>
 * {@code <item>} is the forEach instance's index (0, 1, ...) over the items sorted by file name.
 *
 * <p>Guests see each input at {@code /in/<input>} and the out directory at {@code /out} ({@link StepMounts}).
 * Staged files are hard links: a guest that writes into an input changes the producer's file too, so drivers
 * should map inputs read-only where they can.
 */
package io.orchide.node.pipeline.workspace;
