// placeholder until the tracker is built
