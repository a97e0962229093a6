package dev.berth.it;

/** The accept contract for {@code accept: mutex}. */
class MutexAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "mutex";
    }
}
