/** The ground control plane. */
package io.orchide.ground;
