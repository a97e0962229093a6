package dev.berth.it;

/** The accept contract for {@code accept: shared}. */
class SharedAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "shared";
    }
}
